import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The webhook events Magento sends (wire-protocol §5) and how their bodies are read.
 *
 * Bodies carry no entity data — only which entity changed — so validation is deliberately lenient
 * (§5.4): a positive-integer `magento_entity_id` is the one hard requirement, everything else is
 * optional and unknown keys are ignored. The canonical entity is always re-fetched.
 */

/** The providers Magento's `?provider=` may name (wire-protocol §1); Ledger binds Sage only so far. */
export const PROVIDERS = ["sage_accounting", "xero", "freeagent"] as const;

export const MAGENTO_EVENTS = ["invoice.created", "invoice.paid", "creditmemo.created", "customer.upserted", "product.upserted"] as const;
export type MagentoEvent = (typeof MAGENTO_EVENTS)[number];

export function isMagentoEvent(name: string): name is MagentoEvent {
  return (MAGENTO_EVENTS as readonly string[]).includes(name);
}

/** The mirror-table entity type (§9.2): the event name's prefix before the first '.'. */
export const MIRROR_ENTITY_TYPES = ["invoice", "creditmemo", "customer", "product"] as const;
export type MirrorEntityType = (typeof MIRROR_ENTITY_TYPES)[number];

export function mirrorEntityType(event: MagentoEvent): MirrorEntityType {
  return event.slice(0, event.indexOf(".")) as MirrorEntityType;
}

/** Magento's entity, store and website ids are MySQL `int unsigned`. */
export const MAX_MAGENTO_ID = 4_294_967_295;

const envelope = {
  magento_entity_id: z.number().int().positive().max(MAX_MAGENTO_ID),
  /** 0 = unknown / not applicable (customers have store 0, products website and store 0). */
  website_id: z.number().int().nonnegative().max(MAX_MAGENTO_ID).optional(),
  store_id: z.number().int().nonnegative().max(MAX_MAGENTO_ID).optional(),
  /** Time of enqueue in Magento (`YYYY-MM-DDTHH:MM:SSZ`), not the entity's own time. */
  occurred_at: z.string().optional(),
};

/** PHP encodes an empty array as `[]`, so an empty payload may arrive as a list. */
function payload<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined || (Array.isArray(v) && v.length === 0) ? {} : v), schema);
}

const incrementPayload = z.object({ increment_id: z.string().optional() });

export const webhookBodySchemas = {
  "invoice.created": z.object({
    ...envelope,
    payload: payload(
      z.object({
        increment_id: z.string().optional(),
        /** The invoice was already PAID when created (captured online): an invoice.paid follows. */
        paid: z.boolean().optional(),
      }),
    ),
  }),
  "invoice.paid": z.object({ ...envelope, payload: payload(incrementPayload) }),
  "creditmemo.created": z.object({ ...envelope, payload: payload(incrementPayload) }),
  "customer.upserted": z.object({ ...envelope, payload: payload(z.object({})) }),
  "product.upserted": z.object({ ...envelope, payload: payload(z.object({})) }),
} as const satisfies Record<MagentoEvent, z.ZodType>;

export type WebhookBody<E extends MagentoEvent = MagentoEvent> = z.infer<(typeof webhookBodySchemas)[E]>;

export type ParsedWebhook =
  | { ok: true; event: MagentoEvent; entityType: MirrorEntityType; body: WebhookBody }
  | { ok: false; reason: "unknown_event" }
  | { ok: false; reason: "invalid_json" }
  | { ok: false; reason: "invalid_body"; issues: { path: string; message: string }[] };

/**
 * Reads one webhook. `event` is the URL's last segment (already percent-decoded by the router);
 * `rawBody` the exact request body text.
 */
export function parseWebhook(event: string, rawBody: string): ParsedWebhook {
  if (!isMagentoEvent(event)) return { ok: false, reason: "unknown_event" };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "invalid_json" };
  }
  const parsed = webhookBodySchemas[event].safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: "invalid_body",
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  return { ok: true, event, entityType: mirrorEntityType(event), body: parsed.data };
}

function sha1Hex(data: string | Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

/** Magento's key for a request without one: `<event>:` + sha1 of the exact body bytes. */
export function derivedIdempotencyKey(event: string, rawBody: string | Buffer): string {
  return `${event}:${sha1Hex(rawBody)}`;
}

/** The `Idempotency-Key` header if non-blank, else the derived key (Magento's own fallback rule). */
export function resolveIdempotencyKey(header: string | null | undefined, event: string, rawBody: string | Buffer): string {
  const trimmed = header?.trim();
  return trimmed ? trimmed : derivedIdempotencyKey(event, rawBody);
}

/** The key Magento sends with `POST /v1/tenant/disconnect`: `disconnect:` + sha1(its tenant_id, our connection id). */
export function disconnectIdempotencyKey(connectionId: string): string {
  return `disconnect:${sha1Hex(connectionId)}`;
}

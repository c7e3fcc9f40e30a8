import { AppError } from "@/lib/errors";
import { MAGENTO_EVENTS, parseWebhook, type MagentoEvent, type MirrorEntityType, type WebhookBody } from "@/lib/magento/events";
import { replaceNul, replaceNulText } from "@/lib/magento/nul-bytes";

/**
 * A webhook body as intake needs it: parsed against the event's wire schema, NUL bytes replaced
 * (PostgreSQL cannot store them), and the few fields a run records pulled out. Every refusal is a
 * permanent 4xx in the one error vocabulary: Magento dead-letters it.
 */

export interface ParsedWebhook {
  event: MagentoEvent;
  entityType: MirrorEntityType;
  body: WebhookBody;
  /** NUL bytes replaced; the runs record NUL_WARNING. */
  nulReplaced: number;
}

function invalidBody(issues: { path: string; message: string }[]): AppError {
  const fields = Object.fromEntries(issues.map((i) => [i.path || "(root)", { code: "invalid", message: i.message }]));
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path || "(root)"}: ${i.message}`)
    .join("; ");
  return new AppError("invalid_body", `The webhook body does not match the event's schema (${summary}).`, { fields });
}

export function parseDelivery(event: string, rawBody: Buffer): ParsedWebhook {
  const raw = replaceNulText(rawBody.toString("utf8"));
  const parsed = parseWebhook(event, raw.text);
  if (parsed.ok) {
    // JSON may escape half a surrogate pair (`"\ud800"`); such text cannot be stored, and PHP's
    // json_encode cannot produce it, so the body is not from the module.
    if (hasLoneSurrogate(parsed.body))
      throw new AppError("bad_request", "The webhook body carries malformed Unicode (a lone UTF-16 surrogate).");
    const clean = replaceNul(parsed.body);
    return { event: parsed.event, entityType: parsed.entityType, body: clean.value, nulReplaced: raw.replaced + clean.replaced };
  }
  if (parsed.reason === "unknown_event") {
    throw new AppError("unknown_event", `Ledger does not handle the event "${event}". Known events: ${MAGENTO_EVENTS.join(", ")}.`);
  }
  if (parsed.reason === "invalid_json") throw new AppError("bad_request", "The webhook body is not valid JSON.");
  throw invalidBody(parsed.issues);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasLoneSurrogate(v: unknown): boolean {
  if (typeof v === "string") return LONE_SURROGATE.test(v);
  if (Array.isArray(v)) return v.some(hasLoneSurrogate);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => LONE_SURROGATE.test(k) || hasLoneSurrogate(x));
  return false;
}

/** Magento's `occurred_at` when it is a well-formed UTC instant; anything else is not recorded. */
export function occurredAt(raw: string | undefined): Date | null {
  if (!raw || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(raw)) return null;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function incrementId(body: WebhookBody): string | null {
  const payload: Record<string, unknown> = body.payload;
  return typeof payload.increment_id === "string" && payload.increment_id !== "" ? payload.increment_id : null;
}

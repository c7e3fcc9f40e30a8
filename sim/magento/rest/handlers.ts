import { formatAtom, type SimContext } from "../context.ts";
import { loadClientConfig } from "../module/config.ts";
import { pair } from "../module/connection.ts";
import { CALLBACK_STATUSES, ENTITY_TYPES, upsertFromCallback } from "../module/mirror.ts";
import type { PhpJson } from "../module/php-json.ts";
import { PAYMENT_METHODS } from "../store/payment-methods.ts";
import { inputError, WebapiError } from "./errors.ts";
import { resolveParams } from "./params.ts";

/** Service methods behind the non-canonical routes (wire-protocol §7.2, §8.3, §9.1). */

/** Ping returns an associative array, which the webapi serialiser flattens into a 3-element list. */
export async function ping(ctx: SimContext): Promise<PhpJson> {
  const cfg = await loadClientConfig(ctx);
  return [true, cfg.tenantId, formatAtom(ctx.nowMs())];
}

export function paymentMethods(): PhpJson {
  return PAYMENT_METHODS.filter((m) => m.code !== "").map((m) => ({
    code: m.code,
    label: m.title.trim() === "" ? null : m.title.trim(),
    is_active: m.active,
  }));
}

const SYNC_STATE_PARAMS = [
  { name: "entityType", type: "string", required: true },
  { name: "magentoEntityId", type: "int", required: true },
  { name: "provider", type: "string", required: true },
  { name: "syncStatus", type: "string", required: true },
  { name: "providerEntityId", type: "string", required: false },
  { name: "providerReference", type: "string", required: false },
  { name: "skipReason", type: "string", required: false },
  { name: "errorCode", type: "string", required: false },
  { name: "lastSyncAt", type: "string", required: false },
] as const;

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A string going into a MySQL TIMESTAMP under Magento's non-strict SQL mode: a trailing `Z` is
 * truncated away (session time zone UTC), an offset converts, anything unparsable becomes the zero
 * date (null here).
 */
export function mysqlTimestamp(value: string): Date | null {
  const m = DATETIME.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", tz] = m;
  const offset = tz && tz !== "Z" ? tz : "+00:00";
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const clip = (v: string | number | null, max: number): string | null => (v === null ? null : String(v).slice(0, max));

/** `SyncStateUpsert::upsert`; returns the `void` body (`[]`). */
export async function syncState(ctx: SimContext, body: unknown): Promise<PhpJson> {
  const p = resolveParams(body, [...SYNC_STATE_PARAMS]);
  const entityType = p.entityType as string;
  const magentoId = p.magentoEntityId as number;
  const provider = p.provider as string;
  const status = p.syncStatus as string;
  if (!(ENTITY_TYPES as readonly string[]).includes(entityType)) {
    throw inputError("Unknown entity_type %1; expected one of: %2", [entityType, ENTITY_TYPES.join(", ")]);
  }
  if (magentoId <= 0) throw inputError("magento_entity_id must be positive");
  if (provider === "") throw inputError("provider must be non-empty");
  if (!(CALLBACK_STATUSES as readonly string[]).includes(status)) {
    throw inputError("Invalid sync_status %1; pending is Magento-side only and must not arrive via callback. Expected: %2", [
      status,
      CALLBACK_STATUSES.join(", "),
    ]);
  }
  const lastSyncAt = p.lastSyncAt === null ? new Date(Math.floor(ctx.nowMs() / 1000) * 1000) : mysqlTimestamp(p.lastSyncAt as string);
  try {
    // Non-strict MySQL silently truncates over-long values to the column width.
    await upsertFromCallback(ctx, {
      entityType,
      magentoId,
      provider: clip(provider, 32) as string,
      syncStatus: clip(status, 16) as string,
      providerEntityId: clip(p.providerEntityId, 64),
      providerReference: clip(p.providerReference, 64),
      skipReason: clip(p.skipReason, 64),
      errorCode: clip(p.errorCode, 64),
      lastSyncAt,
    });
  } catch (err) {
    throw inputError("Could not upsert sync state for %1/%2: %3", [entityType, magentoId, (err as Error).message]);
  }
  ctx.log.info({ entityType, magentoId, status }, "sync-state callback");
  return [];
}

const PAIR_PARAMS = [
  { name: "pairingCode", type: "string", required: true },
  { name: "tenantId", type: "string", required: true },
  { name: "byte8ApiKey", type: "string", required: true },
  { name: "ledgerBaseUrl", type: "string", required: true },
] as const;

export async function setupPair(ctx: SimContext, body: unknown): Promise<PhpJson> {
  const p = resolveParams(body, [...PAIR_PARAMS]);
  const result = await pair(ctx, {
    pairingCode: p.pairingCode as string,
    tenantId: p.tenantId as string,
    byte8ApiKey: p.byte8ApiKey as string,
    ledgerBaseUrl: p.ledgerBaseUrl as string,
  });
  if (!result.ok) throw new WebapiError(result.status, result.message);
  return [];
}

import { z } from "zod";
import { MIRROR_ENTITY_TYPES } from "./events";

/**
 * The body of `POST {magento}/rest/V1/byte8/sync-state` (wire-protocol §9.1), which sets the status
 * chip in Magento's grids. Magento upserts every column, so an absent optional field wipes what
 * was stored before (decisions D4 has the caller always re-send the known ids).
 */

/** What the callback may carry; `pending` is Magento-side only and rejected with a 400. */
export const SYNC_STATE_STATUSES = ["synced", "skipped", "failed"] as const;
export type SyncStateStatus = (typeof SYNC_STATE_STATUSES)[number];

// Columns are varchar(64) (provider varchar(32)); a longer value fails Magento's upsert.
const column = z.string().max(64);

export const syncStatePushSchema = z.object({
  entity_type: z.enum(MIRROR_ENTITY_TYPES),
  magento_entity_id: z.number().int().positive(),
  provider: z.string().min(1).max(32),
  sync_status: z.enum(SYNC_STATE_STATUSES),
  provider_entity_id: column.nullish(),
  provider_reference: column.nullish(),
  skip_reason: column.nullish(),
  error_code: column.nullish(),
  /** Defaults to the client's clock. Sent as whole-second UTC. */
  last_sync_at: z.date().optional(),
});
export type SyncStatePush = z.input<typeof syncStatePushSchema>;

/**
 * `YYYY-MM-DD HH:MM:SS` in UTC: the value goes verbatim into a MySQL TIMESTAMP, and this is the
 * one form that does not depend on Magento's SQL mode tolerating a trailing `Z`.
 */
export function formatMagentoTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/** The JSON body, keys in the interface's order, optional fields only when set. */
export function syncStateBody(push: z.output<typeof syncStatePushSchema>, now: Date): Record<string, string | number> {
  const body: Record<string, string | number> = {
    entity_type: push.entity_type,
    magento_entity_id: push.magento_entity_id,
    provider: push.provider,
    sync_status: push.sync_status,
  };
  for (const key of ["provider_entity_id", "provider_reference", "skip_reason", "error_code"] as const) {
    const value = push[key];
    if (value !== null && value !== undefined) body[key] = value;
  }
  body.last_sync_at = formatMagentoTimestamp(push.last_sync_at ?? now);
  return body;
}

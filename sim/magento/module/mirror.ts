import { SCHEMA, type Queryable } from "../db.ts";
import type { SimContext } from "../context.ts";

/** `byte8_entity_sync_state` (wire-protocol §9.2): Magento's pending write-through and the ledger's callback. */

export const ENTITY_TYPES = ["invoice", "creditmemo", "customer", "product"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export const CALLBACK_STATUSES = ["synced", "skipped", "failed"] as const;

export interface MirrorRow {
  entity_id: number;
  entity_type: string;
  magento_id: number;
  provider: string;
  sync_status: string;
  provider_entity_id: string | null;
  provider_reference: string | null;
  skip_reason: string | null;
  error_code: string | null;
  /** `Y-m-d H:i:s` UTC, as MySQL would return it; MySQL's zero date when the callback sent garbage. */
  last_sync_at: string;
}

/** `ByteClient::entityTypeFromEventName`: the prefix before the first dot. */
export function entityTypeFromEventName(eventName: string): EntityType | null {
  const prefix = eventName.split(".")[0];
  return (ENTITY_TYPES as readonly string[]).includes(prefix) ? (prefix as EntityType) : null;
}

/** `markPending`: insert `pending` if absent, otherwise only bump last_sync_at (never regress a status). */
export async function markPending(ctx: SimContext, db: Queryable, entityType: string, magentoId: number, provider: string): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.byte8_entity_sync_state (store_key, entity_type, magento_id, provider, sync_status, last_sync_at)
     VALUES ($1, $2, $3, $4, 'pending', $5)
     ON CONFLICT (store_key, entity_type, magento_id, provider) DO UPDATE SET last_sync_at = EXCLUDED.last_sync_at`,
    [ctx.storeKey, entityType, magentoId, provider, new Date(Math.floor(ctx.nowMs() / 1000) * 1000)],
  );
}

export interface CallbackRow {
  entityType: string;
  magentoId: number;
  provider: string;
  syncStatus: string;
  providerEntityId: string | null;
  providerReference: string | null;
  skipReason: string | null;
  errorCode: string | null;
  /** null = MySQL's zero date (non-strict mode stores unparsable values as 0000-00-00 00:00:00). */
  lastSyncAt: Date | null;
}

/** `upsertFromCallback`: INSERT … ON DUPLICATE KEY UPDATE of every non-key column — nulls overwrite. */
export async function upsertFromCallback(ctx: SimContext, row: CallbackRow): Promise<void> {
  await ctx.pool.query(
    `INSERT INTO ${SCHEMA}.byte8_entity_sync_state
       (store_key, entity_type, magento_id, provider, sync_status, provider_entity_id, provider_reference, skip_reason, error_code, last_sync_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (store_key, entity_type, magento_id, provider) DO UPDATE SET
       sync_status = EXCLUDED.sync_status, provider_entity_id = EXCLUDED.provider_entity_id,
       provider_reference = EXCLUDED.provider_reference, skip_reason = EXCLUDED.skip_reason,
       error_code = EXCLUDED.error_code, last_sync_at = EXCLUDED.last_sync_at`,
    [
      ctx.storeKey,
      row.entityType,
      row.magentoId,
      row.provider,
      row.syncStatus,
      row.providerEntityId,
      row.providerReference,
      row.skipReason,
      row.errorCode,
      row.lastSyncAt,
    ],
  );
}

const SELECT = `SELECT entity_id::int AS entity_id, entity_type, magento_id::int AS magento_id, provider, sync_status,
  provider_entity_id, provider_reference, skip_reason, error_code,
  COALESCE(to_char(last_sync_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '0000-00-00 00:00:00') AS last_sync_at
  FROM ${SCHEMA}.byte8_entity_sync_state`;

export async function listMirror(ctx: SimContext, entityType?: string): Promise<MirrorRow[]> {
  const res = await ctx.pool.query<MirrorRow>(
    `${SELECT} WHERE store_key = $1 AND ($2::text IS NULL OR entity_type = $2) ORDER BY entity_id`,
    [ctx.storeKey, entityType ?? null],
  );
  return res.rows;
}

export async function findMirror(ctx: SimContext, entityType: string, magentoId: number, provider: string): Promise<MirrorRow | null> {
  const res = await ctx.pool.query<MirrorRow>(`${SELECT} WHERE store_key = $1 AND entity_type = $2 AND magento_id = $3 AND provider = $4`, [
    ctx.storeKey,
    entityType,
    magentoId,
    provider,
  ]);
  return res.rows[0] ?? null;
}

/** Grid tooltip priority (SyncStatus column): reference → entity id → skip reason → error code. */
export function chipTooltip(
  row: Pick<MirrorRow, "provider_reference" | "provider_entity_id" | "skip_reason" | "error_code"> | null,
): string {
  if (!row) return "";
  if (row.provider_reference) return row.provider_reference;
  if (row.provider_entity_id) return row.provider_entity_id;
  if (row.skip_reason) return `Skipped: ${row.skip_reason}`;
  if (row.error_code) return `Error: ${row.error_code}`;
  return "";
}

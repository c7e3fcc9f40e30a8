import { z } from "zod";
import { db } from "@/lib/db";
import { defaultPolicy, parsePolicy, type Policy } from "@/lib/policy/schema";

/**
 * Intake's two statements. A delivery costs one read (live bindings with their current policy, the
 * latest run per binding for the key, the latest receipt) and one write (the jti, the receipt and its
 * runs in a single atomic statement) — no interactive transaction, no lock held across a round trip,
 * no network call while a pooled connection is busy. Both are prepared statements (lib/db.ts,
 * `statementName`): each pooled connection parses them once, not on every delivery.
 *
 * Concurrent deliveries of one key are serialised by the receipt's unique (connection, key,
 * generation): both compute the same next generation, one insert wins, the other does nothing and
 * reads again — by then the winner's runs are visible and it answers as a duplicate.
 */

const bindingRow = z.object({
  id: z.string(),
  status: z.enum(["active", "pending_sage"]),
  provider: z.string(),
  sageConnectionId: z.string().nullable(),
  policyVersion: z.number().int().nullable(),
  policySettings: z.unknown(),
});

const latestRow = z.object({
  id: z.string(),
  bindingId: z.string(),
  tenantId: z.string(),
  status: z.string(),
  event: z.string(),
  entityType: z.string(),
  magentoEntityId: z.union([z.number(), z.string()]).transform((v) => BigInt(v)),
  inngestEventId: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  createdAt: z.coerce.date(),
  updatedAt: z.coerce.date(),
  bodySha256: z.string().nullable(),
  receiptCreatedAt: z.coerce.date().nullable(),
});

const stateRow = z.object({
  bindings: z.array(bindingRow),
  latest: z.array(latestRow),
  receipt: z.object({ generation: z.number().int(), primaryRunId: z.string().nullable() }).nullable(),
});

export interface IntakeBinding {
  id: string;
  status: "active" | "pending_sage";
  provider: string;
  sageConnectionId: string | null;
  policy: { version: number; settings: Policy };
}

export type LatestKeyRun = z.infer<typeof latestRow>;

export interface KeyState {
  /** Live bindings (active or waiting for Sage), oldest first. */
  bindings: IntakeBinding[];
  latestByBinding: Map<string, LatestKeyRun>;
  receipt: { generation: number; primaryRunId: string | null } | null;
}

/** Everything intake decides on, in one statement. */
export async function readKeyState(connectionId: string, key: string, provider: string | null): Promise<KeyState> {
  const rows = await db().$queryRaw<unknown[]>`/* prepared:intake_key_state */
    WITH b AS (
      SELECT id, status::text AS status, provider, sage_connection_id, created_at
      FROM bindings
      WHERE magento_connection_id = ${connectionId}::uuid
        AND status IN ('active', 'pending_sage')
        AND (${provider}::text IS NULL OR provider = ${provider}::text)
    )
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
          'id', b.id, 'status', b.status, 'provider', b.provider, 'sageConnectionId', b.sage_connection_id,
          'policyVersion', p.version, 'policySettings', p.settings) ORDER BY b.created_at, b.id), '[]'::json)
        FROM b LEFT JOIN LATERAL (
          SELECT version, settings FROM sync_policies WHERE binding_id = b.id ORDER BY version DESC LIMIT 1
        ) p ON true) AS bindings,
      (SELECT coalesce(json_agg(l), '[]'::json) FROM (
        SELECT DISTINCT ON (r.binding_id)
          r.id, r.binding_id AS "bindingId", r.tenant_id AS "tenantId", r.status::text AS status, r.event,
          r.entity_type AS "entityType", r.magento_entity_id AS "magentoEntityId", r.inngest_event_id AS "inngestEventId",
          r.dispatched_at AS "dispatchedAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
          rc.body_sha256 AS "bodySha256", rc.created_at AS "receiptCreatedAt"
        FROM sync_runs r LEFT JOIN webhook_receipts rc ON rc.id = r.receipt_id
        WHERE r.binding_id IN (SELECT id FROM b) AND r.idempotency_key = ${key}
        ORDER BY r.binding_id, r.created_at DESC, r.id DESC
      ) l) AS latest,
      (SELECT json_build_object('generation', generation, 'primaryRunId', primary_run_id)
        FROM webhook_receipts
        WHERE magento_connection_id = ${connectionId}::uuid AND idempotency_key = ${key}
        ORDER BY generation DESC LIMIT 1) AS receipt`;
  const state = stateRow.parse(rows[0]);
  return {
    bindings: state.bindings.map((b) => ({
      id: b.id,
      status: b.status,
      provider: b.provider,
      sageConnectionId: b.sageConnectionId,
      // Same reading as lib/policy/store.ts currentPolicy: version 0 with defaults if none was saved.
      policy:
        b.policyVersion === null
          ? { version: 0, settings: defaultPolicy() }
          : { version: b.policyVersion, settings: parsePolicy(b.policySettings) },
    })),
    latestByBinding: new Map(state.latest.map((r) => [r.bindingId, r])),
    receipt: state.receipt,
  };
}

export interface NewRun {
  id: string;
  tenantId: string;
  bindingId: string;
  event: string;
  entityType: string;
  magentoEntityId: number;
  magentoIncrementId: string | null;
  websiteId: number;
  storeId: number;
  occurredAt: Date | null;
  status: "queued" | "waiting";
  warnings: string[];
  provider: string;
  policyVersion: number;
  policySnapshot: Policy;
  inngestEventId: string | null;
}

export interface Delivery {
  /** The token's replay entry; null when this request already consumed it (a retried write). */
  jti: { key: string; expiresAt: Date } | null;
  connectionId: string;
  idempotencyKey: string;
  /** The receipt and its runs, or null when the delivery is a repeat that stores nothing but the jti. */
  receipt: { id: string; generation: number; event: string; bodySha256: string; runs: NewRun[] } | null;
}

/**
 * One atomic statement: remember the jti, then (only if it was fresh) insert the receipt, then (only
 * if no concurrent delivery took that generation) its runs. `jtiFresh` false → the token was
 * replayed; `stored` false with a receipt → a concurrent delivery won the generation.
 */
export async function storeDelivery(d: Delivery): Promise<{ jtiFresh: boolean; stored: boolean }> {
  const r = d.receipt;
  const runs = JSON.stringify(
    (r?.runs ?? []).map((x, ord) => ({ ...x, ord, occurredAt: x.occurredAt?.toISOString() ?? null, policySnapshot: x.policySnapshot })),
  );
  const rows = await db().$queryRaw<{ jti: number; receipt: number }[]>`/* prepared:intake_store_delivery */
    WITH j AS (
      INSERT INTO seen_jtis (jti_hash, expires_at)
      SELECT ${d.jti?.key ?? null}::text, ${d.jti?.expiresAt ?? null}::timestamptz
      WHERE ${d.jti?.key ?? null}::text IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), rc AS (
      INSERT INTO webhook_receipts (id, magento_connection_id, idempotency_key, generation, event, body_sha256, primary_run_id)
      SELECT ${r?.id ?? null}::uuid, ${d.connectionId}::uuid, ${d.idempotencyKey}, ${r?.generation ?? 0}::int, ${r?.event ?? ""},
             ${r?.bodySha256 ?? ""}, ${r?.runs[0]?.id ?? null}::uuid
      WHERE ${r !== null} AND (EXISTS (SELECT 1 FROM j) OR ${d.jti === null})
      ON CONFLICT (magento_connection_id, idempotency_key, generation) DO NOTHING
      RETURNING id
    ), runs AS (
      INSERT INTO sync_runs (id, tenant_id, binding_id, receipt_id, event, entity_type, magento_entity_id, magento_increment_id,
                             website_id, store_id, idempotency_key, occurred_at, status, warnings, provider, policy_version,
                             policy_snapshot, inngest_event_id, created_at, updated_at)
      SELECT x."id", x."tenantId", x."bindingId", rc.id, x."event", x."entityType", x."magentoEntityId", x."magentoIncrementId",
             x."websiteId", x."storeId", ${d.idempotencyKey}, x."occurredAt", x."status"::"RunStatus", x."warnings", x."provider",
             x."policyVersion", x."policySnapshot", x."inngestEventId",
             -- one statement, one now(): a millisecond apart keeps the bindings' order (the column is timestamptz(3))
             now() + x."ord" * interval '1 millisecond', now()
      FROM rc, jsonb_to_recordset(${runs}::jsonb) AS x(
        "id" uuid, "tenantId" uuid, "bindingId" uuid, "event" text, "entityType" text, "magentoEntityId" bigint,
        "magentoIncrementId" text, "websiteId" bigint, "storeId" bigint, "occurredAt" timestamptz, "status" text,
        "warnings" text[], "provider" text, "policyVersion" int, "policySnapshot" jsonb, "inngestEventId" text, "ord" int)
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM j) AS jti, (SELECT count(*)::int FROM rc) AS receipt, (SELECT count(*)::int FROM runs) AS runs`;
  const [row] = rows;
  return { jtiFresh: d.jti === null || row.jti === 1, stored: r !== null && row.receipt === 1 };
}

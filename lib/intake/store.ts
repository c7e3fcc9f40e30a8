import { z } from "zod";
import { hotQuery } from "@/lib/db";
import { defaultPolicy, parsePolicy, type Policy } from "@/lib/policy/schema";

/**
 * Intake's two statements, each for a whole batch of concurrent deliveries (batch.ts): one read (per
 * delivery, its live bindings with their current policy, the latest run per binding for its key, its
 * latest receipt) and one write (the jtis, the receipts and their runs in a single atomic statement) —
 * no interactive transaction, no lock held across a round trip, no network call while a pooled
 * connection is busy. Both are prepared statements sent straight to the pool (lib/db.ts, `hotQuery`):
 * each pooled connection parses them once.
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
  /** Its event is still owed to Inngest (a row in run_outbox): a repeat sends it again. */
  undispatched: z.boolean(),
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

export interface KeyQuery {
  connectionId: string;
  key: string;
  /** `?provider=`: only that provider's bindings; null for all. */
  provider: string | null;
}

/**
 * Everything intake decides on, for a whole batch of deliveries in one statement: per delivery, its
 * live bindings with their current policy, the latest run per binding for its key, its latest receipt.
 */
export async function readKeyStates(queries: KeyQuery[]): Promise<KeyState[]> {
  if (!queries.length) return [];
  const input = JSON.stringify(queries.map((q, idx) => ({ idx, connection_id: q.connectionId, key: q.key, provider: q.provider })));
  const rows = await hotQuery(
    "intake_key_states",
    `SELECT q.idx,
      (SELECT coalesce(json_agg(json_build_object(
          'id', b.id, 'status', b.status::text, 'provider', b.provider, 'sageConnectionId', b.sage_connection_id,
          'policyVersion', p.version, 'policySettings', p.settings) ORDER BY b.created_at, b.id), '[]'::json)
        FROM bindings b LEFT JOIN LATERAL (
          SELECT version, settings FROM sync_policies WHERE binding_id = b.id ORDER BY version DESC LIMIT 1
        ) p ON true
        WHERE b.id = ANY(bs.ids)) AS bindings,
      (SELECT coalesce(json_agg(l), '[]'::json) FROM (
        SELECT DISTINCT ON (r.binding_id)
          r.id, r.binding_id AS "bindingId", r.tenant_id AS "tenantId", r.status::text AS status, r.event,
          r.entity_type AS "entityType", r.magento_entity_id AS "magentoEntityId", r.inngest_event_id AS "inngestEventId",
          o.run_id IS NOT NULL AS "undispatched", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
          rc.body_sha256 AS "bodySha256", rc.created_at AS "receiptCreatedAt"
        FROM sync_runs r LEFT JOIN webhook_receipts rc ON rc.id = r.receipt_id LEFT JOIN run_outbox o ON o.run_id = r.id
        WHERE r.binding_id = ANY(bs.ids) AND r.idempotency_key = q.key
        ORDER BY r.binding_id, r.created_at DESC, r.id DESC
      ) l) AS latest,
      (SELECT json_build_object('generation', generation, 'primaryRunId', primary_run_id)
        FROM webhook_receipts
        WHERE magento_connection_id = q.connection_id AND idempotency_key = q.key
        ORDER BY generation DESC LIMIT 1) AS receipt
    FROM jsonb_to_recordset($1::jsonb) AS q(idx int, connection_id uuid, key text, provider text)
    CROSS JOIN LATERAL (
      SELECT coalesce(array_agg(id), '{}') AS ids FROM bindings
      WHERE magento_connection_id = q.connection_id AND status IN ('active', 'pending_sage')
        AND (q.provider IS NULL OR provider = q.provider)
    ) bs
    ORDER BY q.idx`,
    [input],
  );
  // A batch's deliveries mostly come from one store: each binding's policy version is parsed once per batch.
  const policies = new Map<string, IntakeBinding["policy"]>();
  return rows.map((row) => toKeyState(stateRow.parse(row), policies));
}

function toKeyState(state: z.infer<typeof stateRow>, policies: Map<string, IntakeBinding["policy"]>): KeyState {
  const policyOf = (b: z.infer<typeof bindingRow>): IntakeBinding["policy"] => {
    const key = `${b.id}:${b.policyVersion}`;
    let policy = policies.get(key);
    if (!policy) {
      // Same reading as lib/policy/store.ts currentPolicy: version 0 with defaults if none was saved.
      policy =
        b.policyVersion === null
          ? { version: 0, settings: defaultPolicy() }
          : { version: b.policyVersion, settings: parsePolicy(b.policySettings) };
      policies.set(key, policy);
    }
    return policy;
  };
  return {
    bindings: state.bindings.map((b) => ({
      id: b.id,
      status: b.status,
      provider: b.provider,
      sageConnectionId: b.sageConnectionId,
      policy: policyOf(b),
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

export interface Stored {
  /** false → the token was already used (replayed). */
  jtiFresh: boolean;
  /** false with a receipt → a concurrent delivery of the same key took that generation first. */
  stored: boolean;
}

/**
 * A whole batch of deliveries in one atomic statement: remember each jti, then (only where it was
 * fresh) insert each receipt, then (only where no concurrent delivery took that generation) its runs,
 * and for each run with an event, its place in the outbox (run_outbox) until the relay has sent it.
 * One statement means one commit and one firing of the status-view triggers for the batch.
 *
 * Two deliveries of one key in the same batch compute the same generation: the receipt's unique index
 * keeps the first and skips the second, which reads again like any loser of the race. Rows go in in
 * (connection, key) and jti order so that two instances' batches wait on each other instead of
 * deadlocking. The caller never puts one jti in a batch twice.
 */
export async function storeDeliveries(ds: Delivery[]): Promise<Stored[]> {
  if (!ds.length) return [];
  const input = JSON.stringify(
    ds.map((d, idx) => ({
      idx,
      jti: d.jti?.key ?? null,
      jti_expires_at: d.jti?.expiresAt.toISOString() ?? null,
      connection_id: d.connectionId,
      key: d.idempotencyKey,
      receipt_id: d.receipt?.id ?? null,
      generation: d.receipt?.generation ?? null,
      event: d.receipt?.event ?? null,
      body_sha256: d.receipt?.bodySha256 ?? null,
      primary_run_id: d.receipt?.runs[0]?.id ?? null,
    })),
  );
  // A batch's runs mostly share a few policy snapshots (one per binding): each goes over the wire and
  // through PostgreSQL's JSON parser once, and runs point at it by position.
  const policies = new Map<Policy, number>();
  const runs = JSON.stringify(
    ds.flatMap((d) =>
      (d.receipt?.runs ?? []).map(({ policySnapshot, ...x }, ord) => {
        let policy = policies.get(policySnapshot);
        if (policy === undefined) policies.set(policySnapshot, (policy = policies.size));
        return {
          ...x,
          receiptId: d.receipt!.id,
          idempotencyKey: d.idempotencyKey,
          ord,
          occurredAt: x.occurredAt?.toISOString() ?? null,
          policy,
        };
      }),
    ),
  );
  const rows = await hotQuery<{ idx: number; jti_fresh: boolean; stored: boolean }>(
    "intake_store_deliveries",
    `WITH d AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
        idx int, jti text, jti_expires_at timestamptz, connection_id uuid, key text, receipt_id uuid, generation int,
        event text, body_sha256 text, primary_run_id uuid)
    ), j AS (
      INSERT INTO seen_jtis (jti_hash, expires_at)
      SELECT jti, jti_expires_at FROM d WHERE jti IS NOT NULL ORDER BY jti
      ON CONFLICT DO NOTHING
      RETURNING jti_hash
    ), rc AS (
      INSERT INTO webhook_receipts (id, magento_connection_id, idempotency_key, generation, event, body_sha256, primary_run_id)
      SELECT receipt_id, connection_id, key, generation, event, body_sha256, primary_run_id FROM d
      WHERE receipt_id IS NOT NULL AND (jti IS NULL OR jti IN (SELECT jti_hash FROM j))
      ORDER BY connection_id, key
      ON CONFLICT (magento_connection_id, idempotency_key, generation) DO NOTHING
      RETURNING id
    ), runs AS (
      INSERT INTO sync_runs (id, tenant_id, binding_id, receipt_id, event, entity_type, magento_entity_id, magento_increment_id,
                             website_id, store_id, idempotency_key, occurred_at, status, warnings, provider, policy_version,
                             policy_snapshot, inngest_event_id, created_at, updated_at)
      SELECT x."id", x."tenantId", x."bindingId", rc.id, x."event", x."entityType", x."magentoEntityId", x."magentoIncrementId",
             x."websiteId", x."storeId", x."idempotencyKey", x."occurredAt", x."status"::"RunStatus", x."warnings", x."provider",
             x."policyVersion", $3::jsonb -> x."policy", x."inngestEventId",
             -- one statement, one now(): a millisecond apart keeps the bindings' order (the column is timestamptz(3))
             now() + x."ord" * interval '1 millisecond', now()
      FROM jsonb_to_recordset($2::jsonb) AS x(
        "id" uuid, "tenantId" uuid, "bindingId" uuid, "receiptId" uuid, "idempotencyKey" text, "event" text, "entityType" text,
        "magentoEntityId" bigint, "magentoIncrementId" text, "websiteId" bigint, "storeId" bigint, "occurredAt" timestamptz,
        "status" text, "warnings" text[], "provider" text, "policyVersion" int, "policy" int, "inngestEventId" text,
        "ord" int)
      JOIN rc ON rc.id = x."receiptId"
      RETURNING id, inngest_event_id
    ), owed AS (
      INSERT INTO run_outbox (run_id, event_id)
      SELECT id, inngest_event_id FROM runs WHERE inngest_event_id IS NOT NULL
      RETURNING 1
    )
    SELECT d.idx,
           (d.jti IS NULL OR d.jti IN (SELECT jti_hash FROM j)) AS jti_fresh,
           coalesce(d.receipt_id IN (SELECT id FROM rc), false) AS stored
    FROM d, (SELECT count(*) FROM owed) AS written
    ORDER BY d.idx`,
    [input, runs, JSON.stringify([...policies.keys()])],
  );
  return rows.map((r) => ({ jtiFresh: r.jti_fresh, stored: r.stored }));
}

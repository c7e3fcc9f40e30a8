import { SCHEMA, type Queryable } from "../db.ts";
import { formatIsoZ, type SimContext } from "../context.ts";
import { loadClientConfig, PROVIDER_KEY, type ClientConfig } from "./config.ts";
import { postSigned, webhookUrl, type Outcome } from "./http-client.ts";
import { deriveIdempotencyKey } from "./keys.ts";
import { entityTypeFromEventName, markPending } from "./mirror.ts";
import { phpJsonEncode, type PhpJson } from "./php-json.ts";

/** `byte8_event_outbox`: enqueue (§6.2), drain (§6.3), requeue (§6.4) and the CLI's publishEvent. */

export const BATCH_SIZE = 50;
export const MAX_TRANSIENT_ATTEMPTS = 10;
export const BACKOFF_SECONDS = [60, 300, 1800, 7200, 21600, 43200, 86400];
const TRANSIENT_EXHAUSTED = "transient_exhausted: retries capped at MAX_TRANSIENT_ATTEMPTS without success";
const MAX_ERROR_BODY_BYTES = 8192;

export interface OutboxRow {
  entity_id: number;
  idempotency_key: string;
  event_name: string;
  payload: string;
  status: "pending" | "succeeded" | "dead_lettered";
  attempts: number;
  last_status_code: number | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface EventEnvelope {
  magento_entity_id: number;
  website_id: number;
  store_id: number;
  payload: { [key: string]: PhpJson | undefined };
}

/** Observer body in the module's key order, `occurred_at` = enqueue time. */
export function encodeEventBody(env: EventEnvelope, nowMs: number): string {
  return phpJsonEncode({
    magento_entity_id: env.magento_entity_id,
    website_id: env.website_id,
    store_id: env.store_id,
    occurred_at: formatIsoZ(nowMs),
    payload: env.payload,
  });
}

export type EnqueueResult = "enqueued" | "duplicate" | "not_connected";

/**
 * An observer firing: gated on the provider being connected, then `enqueueEvent` — insert unless a row
 * with this key exists in any status, and write the `pending` mirror row either way.
 */
export async function observeEvent(
  ctx: SimContext,
  db: Queryable,
  eventName: string,
  env: EventEnvelope,
  key?: string,
): Promise<EnqueueResult> {
  const cfg = await loadClientConfig(ctx, db);
  if (!cfg.providerConnected || cfg.tenantId === null) return "not_connected";
  const body = encodeEventBody(env, ctx.nowMs());
  const idempotencyKey = key ?? deriveIdempotencyKey(eventName, body);
  const inserted = await insertRow(ctx, db, eventName, body, idempotencyKey, "");
  const entityType = entityTypeFromEventName(eventName);
  if (entityType && env.magento_entity_id > 0) await markPending(ctx, db, entityType, env.magento_entity_id, PROVIDER_KEY);
  ctx.log.info({ eventName, idempotencyKey, inserted }, "outbox enqueue");
  return inserted ? "enqueued" : "duplicate";
}

async function insertRow(
  ctx: SimContext,
  db: Queryable,
  eventName: string,
  body: string,
  key: string,
  lastError: string,
): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO ${SCHEMA}.byte8_event_outbox (store_key, idempotency_key, event_name, payload, status, attempts, last_error, created_at)
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6) ON CONFLICT (store_key, idempotency_key) DO NOTHING`,
    [ctx.storeKey, key, eventName, body, lastError, new Date(Math.floor(ctx.nowMs() / 1000) * 1000)],
  );
  return res.rowCount === 1;
}

const SELECT = `SELECT entity_id::int AS entity_id, idempotency_key, event_name, payload, status, attempts, last_status_code,
  to_char(last_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS last_attempt_at,
  to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS next_attempt_at,
  last_error, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS created_at
  FROM ${SCHEMA}.byte8_event_outbox`;

export async function listOutbox(ctx: SimContext, status?: string): Promise<OutboxRow[]> {
  const res = await ctx.pool.query<OutboxRow>(`${SELECT} WHERE store_key = $1 AND ($2::text IS NULL OR status = $2) ORDER BY entity_id`, [
    ctx.storeKey,
    status ?? null,
  ]);
  return res.rows;
}

export async function countDeadLettered(ctx: SimContext): Promise<number> {
  const res = await ctx.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${SCHEMA}.byte8_event_outbox WHERE store_key = $1 AND status = 'dead_lettered'`,
    [ctx.storeKey],
  );
  return res.rows[0].n;
}

export interface DrainedRow {
  id: number;
  event: string;
  outcome: "succeeded" | "dead_lettered" | "retry_scheduled" | "left_pending";
  status_code: number | null;
  error: string | null;
}

function formatDeterministicError(status: number, body: string): string {
  const bytes = Buffer.from(body, "utf8");
  const cut = bytes.length > MAX_ERROR_BODY_BYTES ? `${bytes.subarray(0, MAX_ERROR_BODY_BYTES).toString("utf8")}…[truncated]` : body;
  return `HTTP ${status}: ${cut}`;
}

/** Backoff after the n-th consecutive transient failure (1-based), capped at the last step. */
export function backoffSeconds(attempts: number): number {
  return BACKOFF_SECONDS[Math.min(attempts, BACKOFF_SECONDS.length) - 1];
}

async function applyOutcome(ctx: SimContext, row: OutboxRow, outcome: Outcome): Promise<DrainedRow> {
  const now = new Date(Math.floor(ctx.nowMs() / 1000) * 1000);
  const attempts = row.attempts + 1;
  const update = (status: string, code: number | null, next: Date | null, error: string | null) =>
    ctx.pool.query(
      `UPDATE ${SCHEMA}.byte8_event_outbox SET status = $2, attempts = $3, last_status_code = $4, last_attempt_at = $5,
         next_attempt_at = $6, last_error = $7 WHERE entity_id = $1`,
      [row.entity_id, status, attempts, code, now, next, error],
    );
  const base = { id: row.entity_id, event: row.event_name };
  switch (outcome.kind) {
    case "not_connected":
      return { ...base, outcome: "left_pending", status_code: null, error: outcome.message };
    case "ok":
      await update("succeeded", outcome.status, null, null);
      return { ...base, outcome: "succeeded", status_code: outcome.status, error: null };
    case "bad_request": {
      const error = formatDeterministicError(outcome.status, outcome.body);
      await update("dead_lettered", outcome.status, null, error);
      ctx.log.error({ id: row.entity_id, event: row.event_name, status: outcome.status }, "outbox dead-lettered");
      return { ...base, outcome: "dead_lettered", status_code: outcome.status, error };
    }
    case "transient": {
      if (attempts >= MAX_TRANSIENT_ATTEMPTS) {
        const error = `${TRANSIENT_EXHAUSTED} — last error: ${outcome.message}`;
        await update("dead_lettered", null, null, error);
        return { ...base, outcome: "dead_lettered", status_code: null, error };
      }
      const next = new Date(now.getTime() + backoffSeconds(attempts) * 1000);
      await update("pending", null, next, outcome.message);
      return { ...base, outcome: "retry_scheduled", status_code: null, error: outcome.message };
    }
  }
}

const draining = new WeakMap<SimContext, Promise<DrainedRow[]>>();

/** One cron tick of `OutboxDrain::execute`. Concurrent calls for one store share the running tick. */
export function drainOnce(ctx: SimContext): Promise<DrainedRow[]> {
  const running = draining.get(ctx);
  if (running) return running;
  const tick = (async () => {
    try {
      const cfg = await loadClientConfig(ctx);
      if (!cfg.clientConnected) return [];
      const due = await ctx.pool.query<OutboxRow>(
        `${SELECT} WHERE store_key = $1 AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
         ORDER BY entity_id LIMIT ${BATCH_SIZE}`,
        [ctx.storeKey, new Date(ctx.nowMs())],
      );
      const results: DrainedRow[] = [];
      for (const row of due.rows) {
        try {
          // URL and credentials are re-read per row: a re-pair mid-batch sends to the new tenant.
          const current = await loadClientConfig(ctx);
          const outcome = await postSigned(ctx, current, webhookUrl(current, row.event_name), row.payload, row.idempotency_key);
          results.push(await applyOutcome(ctx, row, outcome));
        } catch (err) {
          ctx.log.error({ id: row.entity_id, err: (err as Error).message }, "outbox drain: row crashed");
        }
      }
      return results;
    } finally {
      draining.delete(ctx);
    }
  })();
  draining.set(ctx, tick);
  return tick;
}

/** `outbox:requeue`: pending, attempts 0, due now; last_error and last_status_code are kept. `all` = every dead letter. */
export async function requeue(ctx: SimContext, ids: number[] | "all"): Promise<number> {
  const res =
    ids === "all"
      ? await ctx.pool.query(
          `UPDATE ${SCHEMA}.byte8_event_outbox SET status = 'pending', attempts = 0, next_attempt_at = NULL
           WHERE store_key = $1 AND status = 'dead_lettered'`,
          [ctx.storeKey],
        )
      : await ctx.pool.query(
          `UPDATE ${SCHEMA}.byte8_event_outbox SET status = 'pending', attempts = 0, next_attempt_at = NULL
           WHERE store_key = $1 AND entity_id = ANY($2::bigint[])`,
          [ctx.storeKey, ids],
        );
  return res.rowCount ?? 0;
}

/** `outbox:cleanup` / the GC cron: succeeded rows older than `days`. */
export async function gcSucceeded(ctx: SimContext, days = 30): Promise<number> {
  const cutoff = new Date(ctx.nowMs() - days * 86400_000);
  const res = await ctx.pool.query(
    `DELETE FROM ${SCHEMA}.byte8_event_outbox WHERE store_key = $1 AND status = 'succeeded'
       AND COALESCE(last_attempt_at, created_at) < $2`,
    [ctx.storeKey, cutoff],
  );
  return res.rowCount ?? 0;
}

/**
 * `publishEvent` (the Sage CLI resync): synchronous POST bypassing outbox dedupe; a transient failure
 * lands in the outbox (if the key is new) with the error as last_error.
 */
export async function publishEvent(
  ctx: SimContext,
  eventName: string,
  env: EventEnvelope,
  key?: string,
): Promise<{ outcome: Outcome; syncRunId: string }> {
  const cfg: ClientConfig = await loadClientConfig(ctx);
  const body = encodeEventBody(env, ctx.nowMs());
  const idempotencyKey = key ?? deriveIdempotencyKey(eventName, body);
  const outcome = await postSigned(ctx, cfg, webhookUrl(cfg, eventName), body, idempotencyKey);
  if (outcome.kind === "transient") await insertRow(ctx, ctx.pool, eventName, body, idempotencyKey, outcome.message);
  let syncRunId = "";
  if (outcome.kind === "ok") {
    try {
      const decoded: unknown = outcome.body === "" ? {} : JSON.parse(outcome.body);
      const id = decoded && typeof decoded === "object" ? (decoded as Record<string, unknown>).sync_run_id : undefined;
      syncRunId = id === undefined || id === null ? "" : String(id);
    } catch {
      syncRunId = "";
    }
  }
  return { outcome, syncRunId };
}

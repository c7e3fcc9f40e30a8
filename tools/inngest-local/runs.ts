import { createHash } from "node:crypto";
import { ulid } from "ulid";
import { evalKey } from "./cel.ts";
import { concurrencyOptions, type FunctionConfig } from "./config.ts";
import type { Db } from "./db.ts";
import { parseDuration } from "./duration.ts";
import { enqueue } from "./store.ts";
import type { ConcurrencyKey, EventPayload, ExecutorContext } from "./types.ts";

export interface FnRow {
  id: string;
  url: string;
  config: FunctionConfig;
}

export async function loadFunctions(db: Db): Promise<FnRow[]> {
  const res = await db.query<FnRow>("SELECT id, url, config FROM inngest_local.functions");
  return res.rows;
}

export async function loadFunction(db: Db, id: string): Promise<FnRow | null> {
  const res = await db.query<FnRow>("SELECT id, url, config FROM inngest_local.functions WHERE id = $1", [id]);
  return res.rows[0] ?? null;
}

const IDEMPOTENCY_TTL = "24 hours";

function keyOrFallback(ctx: ExecutorContext, fnId: string, field: string, expr: string, event: EventPayload): string {
  const value = evalKey(expr, { event });
  if (value !== null) return value;
  // Unevaluable keys share one bucket: conservative (serialises) rather than unbounded.
  ctx.log.warn({ fnId, field, expr, eventId: event.id }, "inngest-local: key expression did not evaluate; using empty key");
  return "";
}

/**
 * Concurrency keys as Inngest scopes them: `fn` keys are private to the function, `env` and
 * `account` keys are shared by every function whose key evaluates to the same value.
 */
export function concurrencyKeys(ctx: ExecutorContext, fn: FnRow, event: EventPayload): ConcurrencyKey[] {
  return concurrencyOptions(fn.config).map((opt, i) => {
    const scope = opt.scope ?? "fn";
    const value = opt.key === undefined ? null : keyOrFallback(ctx, fn.id, `concurrency[${i}].key`, opt.key, event);
    const owner = scope === "fn" ? `fn:${fn.id}` : scope;
    return { key: value === null ? owner : `${owner}:${value}`, limit: opt.limit };
  });
}

function hashKey(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

/**
 * Creates a run of `fn` for `events` and queues its first call. Returns `null` when the
 * function's idempotency key already started a run in the last 24 h.
 */
export async function createRun(
  db: Db,
  ctx: ExecutorContext,
  fn: FnRow,
  events: EventPayload[],
  opts: { delayMs?: number } = {},
): Promise<string | null> {
  const event = events[0];
  const runId = ulid();
  const { config } = fn;
  if (config.idempotency !== undefined) {
    const key = hashKey(keyOrFallback(ctx, fn.id, "idempotency", config.idempotency, event));
    const claimed = await db.query(
      `INSERT INTO inngest_local.idempotency (fn_id, key, run_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '${IDEMPOTENCY_TTL}')
       ON CONFLICT (fn_id, key) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at
         WHERE inngest_local.idempotency.expires_at < now()
       RETURNING run_id`,
      [fn.id, key, runId],
    );
    if (claimed.rowCount === 0) {
      ctx.log.info({ fnId: fn.id, eventId: event.id }, "inngest-local: idempotency key seen in the last 24h; no run");
      return null;
    }
  }
  const ckeys = concurrencyKeys(ctx, fn, event);
  const throttleKey =
    config.throttle === undefined
      ? null
      : config.throttle.key === undefined
        ? ""
        : keyOrFallback(ctx, fn.id, "throttle.key", config.throttle.key, event);
  await db.query(
    `INSERT INTO inngest_local.runs (id, fn_id, event_id, events, status, ckeys, throttle_key)
     VALUES ($1, $2, $3, $4, 'Queued', $5, $6)`,
    [runId, fn.id, event.id, JSON.stringify(events), JSON.stringify(ckeys), throttleKey],
  );
  const delayMs = opts.delayMs ?? 0;
  await enqueue(db, {
    runId,
    kind: "call",
    stepId: "step",
    ckeys,
    runAt: delayMs > 0 ? new Date(Date.now() + delayMs) : undefined,
  });
  ctx.wake();
  return runId;
}

/** Random start delay for a cron trigger's `jitter`. */
export function jitterMs(jitter: string | undefined): number {
  if (jitter === undefined) return 0;
  return Math.floor(Math.random() * (parseDuration(jitter) ?? 0));
}

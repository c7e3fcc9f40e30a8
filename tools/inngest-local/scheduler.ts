import { randomUUID } from "node:crypto";
import { buildCallBody, callSdk, callUrl } from "./call.ts";
import { tickCrons } from "./crons.ts";
import { type Db, withTx } from "./db.ts";
import { type ClaimedItem, handleCallOutcome } from "./ops.ts";
import { type FnRow, loadFunction } from "./runs.ts";
import { isActive, lockRun, settleStep } from "./store.ts";
import { gcra } from "./throttle.ts";
import { requireDuration } from "./duration.ts";
import type { ExecutorContext } from "./types.ts";

interface Candidate extends ClaimedItem {
  fn_id: string;
  started_at: Date | null;
  throttle_key: string | null;
  ckeys: Array<{ key: string; limit: number }>;
}

const CLAIM_BATCH = 50;

/** Throttle (GCRA per function and key), checked when a run's first call is claimed. */
async function admitThrottled(db: Db, c: Candidate, fn: FnRow | null, now: number): Promise<boolean> {
  const throttle = fn?.config.throttle;
  if (!throttle || c.started_at !== null || c.throttle_key === null) return true;
  const row = await db.query<{ tat: Date }>("SELECT tat FROM inngest_local.throttle WHERE fn_id = $1 AND key = $2", [
    c.fn_id,
    c.throttle_key,
  ]);
  const decision = gcra(row.rows[0]?.tat.getTime() ?? null, now, {
    periodMs: requireDuration(throttle.period, "throttle.period"),
    limit: throttle.limit,
    burst: throttle.burst ?? 0,
  });
  if (!decision.allowed) {
    await db.query("UPDATE inngest_local.queue SET run_at = $2 WHERE id = $1", [c.id, new Date(decision.retryAt)]);
    return false;
  }
  await db.query(
    `INSERT INTO inngest_local.throttle (fn_id, key, tat) VALUES ($1, $2, $3)
     ON CONFLICT (fn_id, key) DO UPDATE SET tat = EXCLUDED.tat`,
    [c.fn_id, c.throttle_key, new Date(decision.newTat)],
  );
  return true;
}

/**
 * Claims one due queue item under a transaction-scoped advisory lock (a single claimer at a time,
 * so the concurrency and throttle checks cannot race). Concurrency counts leased call items per
 * key: the limit applies to steps in flight, as in Inngest, so sleeping runs hold no slot.
 */
export async function claimOne(ctx: ExecutorContext): Promise<ClaimedItem | null> {
  return withTx(ctx.pool, async (db) => {
    await db.query("SELECT pg_advisory_xact_lock(hashtext('inngest_local.claim'))");
    const due = await db.query<Candidate>(
      `SELECT q.id, q.run_id, q.kind, q.step_id, q.attempt, q.net_failures, q.lease_token,
              r.fn_id, r.started_at, r.throttle_key, r.ckeys
         FROM inngest_local.queue q JOIN inngest_local.runs r ON r.id = q.run_id
        WHERE q.run_at <= now() AND (q.leased_until IS NULL OR q.leased_until < now())
        ORDER BY q.run_at, q.id LIMIT ${CLAIM_BATCH}`,
    );
    if (due.rowCount === 0) return null;
    const inflight = new Map<string, number>();
    if (due.rows.some((c) => c.kind === "call" && c.ckeys.length > 0)) {
      const counts = await db.query<{ k: string; n: string }>(
        `SELECT k, count(*) AS n FROM inngest_local.queue, jsonb_array_elements_text(ckeys) AS k
          WHERE kind = 'call' AND leased_until >= now() GROUP BY k`,
      );
      for (const row of counts.rows) inflight.set(row.k, Number(row.n));
    }
    const fns = new Map<string, FnRow | null>();
    for (const c of due.rows) {
      if (c.kind === "call") {
        if (c.ckeys.some((k) => (inflight.get(k.key) ?? 0) >= k.limit)) continue;
        if (!fns.has(c.fn_id)) fns.set(c.fn_id, await loadFunction(db, c.fn_id));
        // One clock for the throttle decision and the recorded start, so started_at shows what GCRA admitted.
        const now = Date.now();
        if (!(await admitThrottled(db, c, fns.get(c.fn_id) ?? null, now))) continue;
        if (c.started_at === null) {
          await db.query("UPDATE inngest_local.runs SET started_at = $2, status = 'Running' WHERE id = $1 AND started_at IS NULL", [
            c.run_id,
            new Date(now),
          ]);
        }
      }
      const token = randomUUID();
      await db.query(
        `UPDATE inngest_local.queue SET leased_until = now() + make_interval(secs => $2::float8 / 1000), lease_token = $3 WHERE id = $1`,
        [c.id, ctx.opts.leaseMs, token],
      );
      return { ...c, lease_token: token };
    }
    return null;
  });
}

/** Removes the claimed item if this worker still holds its lease; `false` means someone else does. */
async function takeItem(db: Db, item: ClaimedItem): Promise<boolean> {
  const res = await db.query("DELETE FROM inngest_local.queue WHERE id = $1 AND lease_token = $2", [item.id, item.lease_token]);
  return (res.rowCount ?? 0) > 0;
}

async function processTimer(ctx: ExecutorContext, item: ClaimedItem): Promise<void> {
  await withTx(ctx.pool, async (db) => {
    if (!(await takeItem(db, item))) return;
    if (item.kind === "sleep") {
      await settleStep(db, item.run_id, item.step_id, { data: null }, { op: "Sleep" });
      return;
    }
    const wait = await db.query<{ kind: string }>("DELETE FROM inngest_local.waits WHERE run_id = $1 AND step_id = $2 RETURNING kind", [
      item.run_id,
      item.step_id,
    ]);
    if (wait.rowCount === 0) return; // the event (or child run) won the race
    const result =
      wait.rows[0].kind === "invoke"
        ? { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" } }
        : { data: null };
    await settleStep(db, item.run_id, item.step_id, result, { op: wait.rows[0].kind === "invoke" ? "InvokeFunction" : "WaitForEvent" });
  });
}

async function processCall(ctx: ExecutorContext, item: ClaimedItem, signal: AbortSignal): Promise<void> {
  const prepared = await withTx(ctx.pool, async (db) => {
    const run = await lockRun(db, item.run_id);
    if (!run || !isActive(run)) {
      await takeItem(db, item);
      return null;
    }
    const fn = await loadFunction(db, run.fn_id);
    if (!fn) {
      // Mid-resync or removed: retry later rather than failing the run (protocol §3.4-1).
      if (await takeItem(db, item)) {
        ctx.log.warn({ runId: run.id, fnId: run.fn_id }, "inngest-local: function not registered; retrying later");
        await handleCallOutcome(db, ctx, run, null, item, { kind: "network", message: `function ${run.fn_id} is not registered` });
      }
      return null;
    }
    return { fn, url: callUrl(fn, item.step_id), body: await buildCallBody(db, run, fn, { stepId: item.step_id, attempt: item.attempt }) };
  });
  if (!prepared) return;
  const outcome = await callSdk(ctx, prepared.url, prepared.body, signal);
  if (signal.aborted) return; // stopping: the lease is released by the scheduler
  await withTx(ctx.pool, async (db) => {
    if (!(await takeItem(db, item))) {
      ctx.log.warn({ runId: item.run_id, stepId: item.step_id }, "inngest-local: lease lost during call; result dropped");
      return;
    }
    const run = await lockRun(db, item.run_id);
    if (!run || !isActive(run)) return;
    await handleCallOutcome(db, ctx, run, prepared.fn, item, outcome);
  });
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** Runs up to `workers` queue items at a time; wakes on local enqueues and polls otherwise. */
export function startScheduler(ctx: ExecutorContext, workers: number, pollMs: number): { scheduler: Scheduler; wake: () => void } {
  let running = true;
  let inflight = 0;
  const leases = new Set<string>();
  const abort = new AbortController();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  let lastCron = 0;

  const renew = setInterval(
    () => {
      if (leases.size === 0) return;
      ctx.pool
        .query(
          "UPDATE inngest_local.queue SET leased_until = now() + make_interval(secs => $2::float8 / 1000) WHERE lease_token = ANY($1)",
          [[...leases], ctx.opts.leaseMs],
        )
        .catch((err: Error) => ctx.log.error({ err: err.message }, "inngest-local: lease renewal failed"));
    },
    Math.max(100, Math.floor(ctx.opts.leaseMs / 3)),
  );

  const run = async (item: ClaimedItem) => {
    leases.add(item.lease_token);
    try {
      if (item.kind === "call") await processCall(ctx, item, abort.signal);
      else await processTimer(ctx, item);
    } catch (err) {
      // The item stays leased and is retried when the lease expires (at-least-once).
      ctx.log.error({ err: (err as Error).message, runId: item.run_id, stepId: item.step_id }, "inngest-local: processing failed");
    } finally {
      leases.delete(item.lease_token);
      inflight--;
      wake();
    }
  };

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        if (Date.now() - lastCron >= 500) {
          lastCron = Date.now();
          await tickCrons(ctx);
        }
        while (running && inflight < workers) {
          const item = await claimOne(ctx);
          if (!item) break;
          inflight++;
          void run(item);
        }
        failures = 0;
      } catch (err) {
        // Usually the database is away (restart, failover, cut connections): back off, then reconnect.
        failures++;
        ctx.log.error({ err: (err as Error).message, failures }, "inngest-local: scheduler loop error; backing off");
        await new Promise((r) => setTimeout(r, Math.min(pollMs * 2 ** Math.min(failures, 8), 5_000)));
      }
      if (!running) break;
      if (woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
      woken = false;
    }
  })();

  return {
    wake,
    scheduler: {
      async stop() {
        running = false;
        abort.abort();
        wake();
        clearInterval(renew);
        await loop;
        const held = [...leases];
        while (inflight > 0) await new Promise((r) => setTimeout(r, 20));
        if (held.length > 0) {
          await ctx.pool
            .query("UPDATE inngest_local.queue SET leased_until = NULL, lease_token = NULL WHERE lease_token = ANY($1)", [held])
            .catch(() => undefined);
        }
      },
    },
  };
}

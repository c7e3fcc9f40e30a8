import type { Db } from "./db.ts";
import type { ConcurrencyKey, StepResult } from "./types.ts";

/**
 * Row-level operations on runs, steps, pending ops and the queue. Every function runs inside the
 * caller's transaction; functions that change a run lock its row first, which serialises all
 * bookkeeping of one run (parallel step results would otherwise race on "is anything pending?").
 */

export interface LockedRun {
  id: string;
  fn_id: string;
  status: string;
  events: Array<Record<string, unknown>>;
  ckeys: ConcurrencyKey[];
  disable_immediate: boolean;
  req_version: number | null;
}

export async function lockRun(db: Db, runId: string): Promise<LockedRun | null> {
  const res = await db.query<LockedRun>(
    `SELECT id, fn_id, status, events, ckeys, disable_immediate, req_version
       FROM inngest_local.runs WHERE id = $1 FOR UPDATE`,
    [runId],
  );
  return res.rows[0] ?? null;
}

export function isActive(run: LockedRun): boolean {
  return run.status === "Queued" || run.status === "Running";
}

export interface EnqueueItem {
  runId: string;
  kind: "call" | "sleep" | "wait-timeout";
  stepId: string;
  runAt?: Date;
  attempt?: number;
  netFailures?: number;
  ckeys?: ConcurrencyKey[];
}

/** Adds a queue item; a duplicate (same run, kind and step) is a no-op. */
export async function enqueue(db: Db, item: EnqueueItem): Promise<void> {
  await db.query(
    `INSERT INTO inngest_local.queue (run_id, kind, step_id, attempt, net_failures, ckeys, run_at)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now()))
     ON CONFLICT (run_id, kind, step_id) DO NOTHING`,
    [
      item.runId,
      item.kind,
      item.stepId,
      item.attempt ?? 0,
      item.netFailures ?? 0,
      JSON.stringify((item.ckeys ?? []).map((c) => c.key)),
      item.runAt ?? null,
    ],
  );
}

/** Queues a discovery call (`stepId=step`) for a run. */
export function enqueueDiscovery(db: Db, run: Pick<LockedRun, "id" | "ckeys">, runAt?: Date): Promise<void> {
  return enqueue(db, { runId: run.id, kind: "call", stepId: "step", ckeys: run.ckeys, runAt });
}

export async function hasStepOrPending(db: Db, runId: string, stepId: string): Promise<boolean> {
  const res = await db.query(
    `SELECT 1 FROM inngest_local.steps WHERE run_id = $1 AND id = $2
     UNION ALL SELECT 1 FROM inngest_local.pending WHERE run_id = $1 AND id = $2 LIMIT 1`,
    [runId, stepId],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function addPending(db: Db, runId: string, stepId: string, op: string, name: string | undefined): Promise<void> {
  await db.query(
    `INSERT INTO inngest_local.pending (run_id, id, op, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id, id) DO NOTHING`,
    [runId, stepId, op, name ?? null],
  );
}

/**
 * Memoises a step result and, once nothing in the run is still planned, sleeping, waiting or
 * invoking, queues the next discovery call — the "pending steps" rule (protocol §3.4-2).
 */
export async function settleStep(
  db: Db,
  runId: string,
  stepId: string,
  result: StepResult,
  info: { op: string; name?: string },
): Promise<boolean> {
  const run = await lockRun(db, runId);
  if (!run || !isActive(run)) return false;
  const seq = await db.query<{ step_seq: number }>(
    "UPDATE inngest_local.runs SET step_seq = step_seq + 1 WHERE id = $1 RETURNING step_seq",
    [runId],
  );
  const pending = await db.query<{ name: string | null }>(
    "DELETE FROM inngest_local.pending WHERE run_id = $1 AND id = $2 RETURNING name",
    [runId, stepId],
  );
  const inserted = await db.query(
    `INSERT INTO inngest_local.steps (run_id, id, seq, name, op, result) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run_id, id) DO NOTHING`,
    [runId, stepId, seq.rows[0].step_seq, info.name ?? pending.rows[0]?.name ?? null, info.op, JSON.stringify(result)],
  );
  const left = await db.query("SELECT 1 FROM inngest_local.pending WHERE run_id = $1 LIMIT 1", [runId]);
  if (left.rowCount === 0) await enqueueDiscovery(db, run);
  return (inserted.rowCount ?? 0) > 0;
}

/** Memoised state for a call request: `steps` keyed by hashed id, and the completion order. */
export async function loadSteps(db: Db, runId: string): Promise<{ steps: Record<string, StepResult>; stack: string[] }> {
  const res = await db.query<{ id: string; result: StepResult }>(
    "SELECT id, result FROM inngest_local.steps WHERE run_id = $1 ORDER BY seq",
    [runId],
  );
  const steps: Record<string, StepResult> = {};
  for (const row of res.rows) steps[row.id] = row.result;
  return { steps, stack: res.rows.map((r) => r.id) };
}

import { ulid } from "ulid";
import type { Db } from "./db.ts";
import { isActive, lockRun } from "./store.ts";
import { type EventPayload, internalEvents } from "./types.ts";

export type RunOutcome =
  { status: "Completed"; output: unknown } | { status: "Failed"; error: unknown } | { status: "Cancelled"; reason: string };

function internalEvent(name: string, data: Record<string, unknown>): EventPayload {
  return { id: ulid(), name, data, ts: Date.now() };
}

/**
 * Ends a run and clears everything still scheduled for it. Returns the internal events Inngest
 * emits on completion (`inngest/function.finished`, plus `…failed` or `…cancelled`); the caller
 * ingests them in the same transaction so onFailure handlers and invoking parents are never lost.
 */
export async function finishRun(db: Db, runId: string, outcome: RunOutcome): Promise<EventPayload[]> {
  const run = await lockRun(db, runId);
  if (!run || !isActive(run)) return [];
  const error =
    outcome.status === "Failed"
      ? outcome.error
      : outcome.status === "Cancelled"
        ? { name: "Error", message: `run cancelled: ${outcome.reason}` }
        : null;
  await db.query(`UPDATE inngest_local.runs SET status = $2, output = $3, error = $4, ended_at = now() WHERE id = $1`, [
    runId,
    outcome.status,
    outcome.status === "Completed" ? JSON.stringify(outcome.output ?? null) : null,
    error === null ? null : JSON.stringify(error),
  ]);
  await db.query("DELETE FROM inngest_local.queue WHERE run_id = $1", [runId]);
  await db.query("DELETE FROM inngest_local.pending WHERE run_id = $1", [runId]);
  await db.query("DELETE FROM inngest_local.waits WHERE run_id = $1", [runId]);

  const base = { function_id: run.fn_id, run_id: runId, event: run.events[0] ?? null };
  const events = [
    internalEvent(
      internalEvents.finished,
      outcome.status === "Completed" ? { ...base, result: outcome.output ?? null } : { ...base, error },
    ),
  ];
  if (outcome.status === "Failed") events.push(internalEvent(internalEvents.failed, { ...base, error }));
  if (outcome.status === "Cancelled") events.push(internalEvent(internalEvents.cancelled, { ...base, reason: outcome.reason }));
  return events;
}

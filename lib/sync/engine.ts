import { NonRetriableError, RetryAfterError, type GetStepTools } from "inngest";
import type { inngest } from "@/lib/jobs/client";
import type { Prisma } from "@/src/generated/prisma/client";
import { isTransientInfraError, SyncError } from "@/lib/errors";
import { toSyncError } from "@/lib/sage/errors";
import { completeRun, lastFailedAttempt, loadRunScope, markRunning, recordAttempt, TERMINAL, type RunScope } from "./runs";

/**
 * The glue between Inngest steps and sync runs: every step that talks to Magento or Sage is wrapped
 * so that each try leaves a RunAttempt row (what was sent, what came back, how long it took) and its
 * failure is translated into Inngest's retry semantics by sync error class:
 * - retryable classes (http, rate_limited, database) → thrown as-is, or as RetryAfterError when Sage
 *   said when to come back;
 * - everything else (validation, provider, auth, not_found, serde, internal) → NonRetriableError: no
 *   point hammering Sage with a payload it rejected.
 *
 * Defence in depth: a step output is only as trustworthy as whoever called /api/inngest with it. So
 * a step that talks to Magento or Sage never acts on the memoised scope alone: it reloads the run's
 * row and works with THAT (tenant, binding, Magento connection, Sage connection and business, entity,
 * policy snapshot). A memoised scope that disagrees with the row fails the run as `internal` before
 * anything is sent; a run that is no longer `running` (settled, retried, recovered by the sweep) is
 * left alone — this execution is stale and another one owns the run.
 */

/** The identity of a run's scope: what a step acts for. Any difference with the row is a forgery or a bug. */
const IDENTITY = [
  "runId",
  "tenantId",
  "bindingId",
  "event",
  "entityType",
  "magentoEntityId",
  "magentoConnectionId",
  "sageConnectionId",
  "sageBusinessId",
] as const;

/**
 * The step error that means "this execution is stale; leave the run to whoever owns it now". It is
 * recognised by its name, which Inngest keeps when it hands a failed step's error back to the
 * function (as a StepError named after the original), never by its message text.
 */
export class StaleExecutionError extends NonRetriableError {
  constructor(message: string) {
    super(message);
    this.name = "StaleExecutionError";
  }
}

/**
 * The run's scope as its row says now, checked against what the memoised `start` step said.
 * Throws SyncError(internal) on disagreement, and a stale marker when the run is not `running` or
 * was handed to another event (retry, lease recovery) since this execution started.
 */
export async function currentScope(memo: RunScope): Promise<RunScope> {
  const row = await loadRunScope(memo.runId);
  if (!row) throw new SyncError("internal", "This sync run no longer exists.");
  const differs = IDENTITY.filter((k) => row[k] !== memo[k]);
  if (differs.length) {
    throw new SyncError(
      "internal",
      `The step's memoised run scope disagrees with the run's record (${differs.join(", ")}); nothing was sent to Magento or Sage.`,
    );
  }
  // A retry or a lease recovery gives the run a new event (and a new execution); this one is stale.
  // (A scope memoised before it carried the event id cannot tell; the status alone decides then.)
  const handedOver = memo.inngestEventId !== undefined && row.inngestEventId !== memo.inngestEventId;
  if (row.status !== "running" || handedOver) {
    throw new StaleExecutionError(
      `Run ${row.runId} is ${row.status} and owned by event ${row.inngestEventId ?? "none"}; this execution no longer owns it.`,
    );
  }
  return row;
}

/** True for the error a stale execution of a run ends with (see currentScope). */
export function isStaleExecution(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof Error && cur.name === "StaleExecutionError") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** Inngest's step tools, as the sync functions receive them. */
export type StepTools = GetStepTools<typeof inngest>;

export interface AttemptNotes {
  request?: Prisma.InputJsonValue;
  response?: Prisma.InputJsonValue;
  payload?: Prisma.InputJsonValue;
  httpStatus?: number;
}

export function asSyncError(e: unknown): SyncError {
  if (e instanceof SyncError) return e;
  if (isTransientInfraError(e)) return new SyncError("database", "Ledger's database was briefly unavailable.", { cause: e });
  return toSyncError(e);
}

function toInngestError(se: SyncError): Error {
  const msg = `[${se.syncClass}] ${se.message}`;
  if (!se.retryable) return new NonRetriableError(msg, { cause: se });
  if (se.syncClass === "rate_limited" && se.retryAfterSeconds !== undefined) {
    return new RetryAfterError(msg, `${Math.max(1, Math.ceil(se.retryAfterSeconds))}s`, { cause: se });
  }
  return new Error(msg, { cause: se });
}

/**
 * Sage's request budget: a short Retry-After from Sage is waited out inside the step (a few times)
 * instead of a full Inngest retry, so a backfill at the budget does not burn its retries on 429s.
 * Nothing else is retried here: every other failure, and every failure of a Magento call, goes back
 * to Inngest, which owns retries and backoff (one layer: the Magento client does not retry either).
 */
const INLINE_RATE_LIMIT_WAITS = 3;
const INLINE_RATE_LIMIT_MAX_SECONDS = 10;

/**
 * Run `fn` as a durable step of the run, recording the attempt. `fn` gets the scope as the run's row
 * says now (currentScope), never the memoised one. `record: "failures"` keeps quiet on success (reads
 * that say nothing new); the default records both.
 */
export async function attemptStep<T>(
  step: StepTools,
  scope: RunScope,
  name: string,
  fn: (notes: AttemptNotes, scope: RunScope) => Promise<T>,
  record: "all" | "failures" = "all",
): Promise<T> {
  const runId = scope.runId;
  // Step outputs travel as JSON; our domain results are plain JSON values, so the round trip is exact.
  return (await step.run(name, async () => {
    let fresh: RunScope;
    try {
      fresh = await currentScope(scope);
    } catch (e) {
      if (isStaleExecution(e)) throw e;
      const se = asSyncError(e);
      await recordAttempt(runId, {
        step: name,
        outcome: "failed",
        errorClass: se.syncClass,
        errorMessage: se.message,
        startedAt: new Date(),
        durationMs: 0,
      }).catch(() => undefined);
      throw toInngestError(se);
    }
    for (let inline = 0; ; inline++) {
      const startedAt = new Date();
      const notes: AttemptNotes = {};
      try {
        const out = await fn(notes, fresh);
        if (record === "all") {
          await recordAttempt(runId, {
            step: name,
            outcome: "succeeded",
            startedAt,
            durationMs: Date.now() - startedAt.getTime(),
            ...notes,
          });
        }
        return out;
      } catch (e) {
        const se = asSyncError(e);
        await recordAttempt(runId, {
          step: name,
          outcome: "failed",
          errorClass: se.syncClass,
          errorMessage: se.message,
          httpStatus: se.status ?? notes.httpStatus,
          request: notes.request,
          response: notes.response ?? (se.details !== undefined ? (se.details as Prisma.InputJsonValue) : undefined),
          payload: notes.payload,
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        }).catch(() => undefined); // never let bookkeeping mask the real failure
        const wait = se.syncClass === "rate_limited" && se.origin === "sage" ? (se.retryAfterSeconds ?? 1) : Infinity;
        if (inline < INLINE_RATE_LIMIT_WAITS && wait <= INLINE_RATE_LIMIT_MAX_SECONDS) {
          await new Promise((r) => setTimeout(r, Math.max(250, wait * 1000)));
          continue; // the work is idempotent (xref + idempotency_id), so trying again is safe
        }
        throw toInngestError(se);
      }
    }
  })) as T;
}

export type StartResult = { go: true; scope: RunScope } | { go: false; why: "settled" };

/**
 * First step of every sync function. A run that is not visible yet (its intake transaction has not
 * committed) is retried; a run already settled (a duplicate delivery of its event) is left alone.
 */
export async function startRun(step: StepTools, runId: string): Promise<StartResult> {
  return (await step.run("start", async () => {
    const scope = await loadRunScope(runId);
    if (!scope) throw new Error(`sync run ${runId} is not visible yet`);
    if (TERMINAL.includes(scope.status)) return { go: false as const, why: "settled" as const };
    if (!scope.sageBusinessId) throw new NonRetriableError("The binding has no connected Sage business.");
    await markRunning(runId);
    return { go: true as const, scope };
  })) as StartResult;
}

/** Settle a run as failed from its last recorded attempt (or the error itself when none was recorded). */
export async function failRun(step: StepTools, runId: string, error: unknown): Promise<void> {
  await step.run("record-failure", async () => {
    const last = await lastFailedAttempt(runId);
    const fallback = asSyncError(error);
    const cls = (last?.errorClass as SyncError["syncClass"] | null) ?? fallback.syncClass;
    const message = last?.errorMessage ?? fallback.message.replace(/^\[[a-z_]+\]\s*/, "");
    await completeRun(runId, { status: "failed", errorClass: cls, errorMessage: message });
  });
}

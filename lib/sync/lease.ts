import type { Prisma } from "@/src/generated/prisma/client";
import { raiseForStuckRuns } from "@/lib/alerts/hooks";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { inngest } from "@/lib/jobs/client";
import { syncStatePushEvent } from "@/lib/jobs/events";
import { childLog } from "@/lib/log";
import { dispatchRuns, oweEvent, syncEventFor, type SyncEvent } from "./dispatch";

const log = childLog({ component: "sync.lease" });

/**
 * No run stays `running` forever. A run's row moves whenever it makes progress (a step starts it,
 * every Magento/Sage attempt is recorded, it waits or settles), so a `running` run whose row has not
 * moved for longer than the lease (LEDGER_RUN_LEASE, 15 min by default) has lost its execution: the
 * executor restored from an old backup, an Inngest run cancelled by hand, a function that died between
 * steps without settling. The sweep then hands the run to a new event — the old execution, should it
 * ever wake up, finds itself stale and stops (lib/sync/engine.ts) — and after
 * LEDGER_RUN_LEASE_RECOVERIES such recoveries fails it as `internal`, with the chip pushed, for an
 * operator to look at and retry. Steps are idempotent (xref + Sage idempotency_id), so running one
 * again never duplicates a document.
 */

export interface LeaseSettings {
  leaseMs: number;
  maxRecoveries: number;
}

export function leaseSettings(): LeaseSettings {
  const e = env();
  return { leaseMs: e.LEDGER_RUN_LEASE, maxRecoveries: e.LEDGER_RUN_LEASE_RECOVERIES };
}

/** The runs whose lease ran out at `now`. */
export function leaseExpired(now: Date, settings: LeaseSettings = leaseSettings()): Prisma.SyncRunWhereInput {
  return { status: "running", updatedAt: { lt: new Date(now.getTime() - settings.leaseMs) } };
}

/** True for a run the dashboard may retry because its lease ran out (failed and skipped runs always may). */
export function leaseHasExpired(
  run: { status: string; updatedAt: Date },
  now = new Date(),
  settings: LeaseSettings = leaseSettings(),
): boolean {
  return run.status === "running" && run.updatedAt.getTime() < now.getTime() - settings.leaseMs;
}

const minutes = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

export interface LeaseSweep {
  recovered: string[];
  failed: string[];
}

/**
 * Recover or fail every `running` run whose lease ran out. Each change is conditional on the run
 * still being expired, so two sweeps (or a late step) never double-handle a run.
 */
export async function recoverExpiredLeases({
  now = new Date(),
  limit = 200,
  settings = leaseSettings(),
}: { now?: Date; limit?: number; settings?: LeaseSettings } = {}): Promise<LeaseSweep> {
  const expired = await db().syncRun.findMany({
    where: leaseExpired(now, settings),
    include: { binding: { select: { status: true, sageConnectionId: true } } },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  const out: LeaseSweep = { recovered: [], failed: [] };
  const events: SyncEvent[] = [];
  const lease = minutes(settings.leaseMs);
  for (const run of expired) {
    const stillExpired = { id: run.id, ...leaseExpired(now, settings) };
    const exhausted = run.leaseRecoveries >= settings.maxRecoveries || run.binding.status !== "active";
    const message =
      run.binding.status !== "active"
        ? `No progress for more than ${lease}, and the binding is no longer connected; the run was stopped.`
        : `No progress for more than ${lease}, ${run.leaseRecoveries + 1} times; Ledger stopped waiting for it. Retry it once the cause is fixed.`;
    const event = exhausted
      ? null
      : { ...syncEventFor(run, run.binding.sageConnectionId), id: `run:${run.id}:recover:${run.leaseRecoveries + 1}` };
    const done = await db().$transaction(async (tx) => {
      const updated = await tx.syncRun.updateMany({
        where: stillExpired,
        data: event
          ? {
              status: "queued",
              inngestEventId: event.id,
              leaseRecoveries: { increment: 1 },
              attemptCount: { increment: 1 },
            }
          : {
              status: "failed",
              errorClass: "internal",
              errorMessage: message,
              reasonCode: null,
              finishedAt: now,
              attemptCount: { increment: 1 },
            },
      });
      if (!updated.count) return false;
      if (event) await oweEvent(tx, run.id, event.id);
      const { attemptCount } = await tx.syncRun.findUniqueOrThrow({ where: { id: run.id }, select: { attemptCount: true } });
      await tx.runAttempt.create({
        data: {
          runId: run.id,
          number: attemptCount,
          step: "lease-recovery",
          outcome: "failed",
          errorClass: "internal",
          errorMessage: event
            ? `No progress for more than ${lease}: dispatched again (recovery ${run.leaseRecoveries + 1} of ${settings.maxRecoveries}).`
            : message,
          startedAt: now,
          finishedAt: now,
          durationMs: 0,
        },
      });
      return true;
    });
    if (!done) continue;
    if (event) {
      events.push(event);
      out.recovered.push(run.id);
    } else out.failed.push(run.id);
  }

  // After commit, so the new execution reads the recovered row. A lost send leaves the run queued
  // with its new event id: the queued sweep sends the same event again.
  if (events.length) {
    await dispatchRuns(events).catch((e: unknown) =>
      log.warn(
        { err: e instanceof Error ? e.message : String(e), runs: events.length },
        "re-dispatching recovered runs failed; the queued sweep will resend",
      ),
    );
  }
  if (out.failed.length) {
    await raiseForStuckRuns(out.failed);
    await inngest
      .send(out.failed.map((runId) => syncStatePushEvent(runId)))
      .catch((e: unknown) =>
        log.error(
          { err: e instanceof Error ? e.message : String(e), runIds: out.failed },
          "pushing the chips of runs failed by the lease sweep failed",
        ),
      );
  }
  if (out.recovered.length || out.failed.length)
    log.warn({ recovered: out.recovered.length, failed: out.failed.length, lease }, "recovered runs whose lease ran out");
  return out;
}

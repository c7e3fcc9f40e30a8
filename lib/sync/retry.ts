import type { Prisma } from "@/src/generated/prisma/client";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { currentPolicy } from "@/lib/policy/store";
import { dispatchRuns, oweEvent, syncEventFor } from "./dispatch";
import { leaseExpired, leaseHasExpired } from "./lease";

/** Runs an operator may retry: failures, and skips (after fixing the setting that caused them). */
export const RETRYABLE_STATUSES = ["failed", "skipped_by_policy"] as const;

/** Whether the dashboard offers Retry: failed and skipped runs, and `running` runs whose lease ran out. */
export function isRetryable(run: { status: string; updatedAt: Date }, now = new Date()): boolean {
  return (RETRYABLE_STATUSES as readonly string[]).includes(run.status) || leaseHasExpired(run, now);
}

/**
 * Retry one run: it takes the binding's CURRENT policy (the operator usually just fixed a setting),
 * goes back to `queued` and is dispatched again; its attempt history continues, so the run detail
 * can diff the payload between attempts. The run's terminal state is pushed to Magento again when it
 * settles, which also back-fills missing mirror rows. A run stuck `running` past its lease may be
 * retried too (its execution is lost; the old one, should it wake, finds itself stale).
 */
export async function retryRun(args: { tenantId: string; runId: string; actorUserId: string | null }): Promise<void> {
  const run = await db().syncRun.findFirst({
    where: { id: args.runId, tenantId: args.tenantId },
    include: { binding: { select: { status: true, sageConnectionId: true } } },
  });
  if (!run) throw new AppError("not_found", "No such sync run.");
  const now = new Date();
  if (!isRetryable(run, now)) {
    throw new AppError(
      "conflict",
      `This run is ${run.status.replace(/_/g, " ")}; only failed or skipped runs, or runs that stopped making progress, can be retried.`,
    );
  }
  if (run.binding.status !== "active") {
    throw new AppError("conflict", "This binding is not connected to Sage; reconnect it before retrying.");
  }
  const policy = await currentPolicy(run.bindingId);
  const event = syncEventFor(run, run.binding.sageConnectionId, run.attemptCount + 1);
  await db().$transaction(async (tx) => {
    const updated = await tx.syncRun.updateMany({
      where: { id: run.id, OR: [{ status: { in: [...RETRYABLE_STATUSES] } }, leaseExpired(now)] },
      data: {
        status: "queued",
        leaseRecoveries: 0,
        errorClass: null,
        errorMessage: null,
        reasonCode: null,
        finishedAt: null,
        syncStatePushedAt: null,
        policyVersion: policy.version,
        policySnapshot: policy.settings as unknown as Prisma.InputJsonValue,
        inngestEventId: event.id,
      },
    });
    if (!updated.count) throw new AppError("conflict", "This run was retried already.");
    await oweEvent(tx, run.id, event.id);
    await audit(
      {
        tenantId: args.tenantId,
        actorType: args.actorUserId ? "user" : "system",
        actorUserId: args.actorUserId,
        action: "run.retried",
        targetType: "sync_run",
        targetId: run.id,
      },
      tx,
    );
  });
  // Dispatched after commit so the function never reads the pre-retry state. If the executor is
  // unreachable the run goes back to how it was and the operator is told to try again.
  try {
    await dispatchRuns([event]);
  } catch (e) {
    await db().syncRun.updateMany({
      where: { id: run.id, status: "queued" },
      data: {
        status: run.status,
        errorClass: run.errorClass,
        errorMessage: run.errorMessage,
        reasonCode: run.reasonCode,
        finishedAt: run.finishedAt,
        syncStatePushedAt: run.syncStatePushedAt,
        inngestEventId: run.inngestEventId,
        leaseRecoveries: run.leaseRecoveries,
      },
    });
    // A retryable run (failed, skipped, or running past its lease) owed Inngest nothing before.
    await db().runOutbox.deleteMany({ where: { runId: run.id, eventId: event.id } });
    throw new AppError("service_unavailable", "The sync engine is not reachable right now; try again in a minute.", { cause: e });
  }
}

import { Prisma, type RunStatus } from "@/src/generated/prisma/client";
import { raiseForSettledRun } from "@/lib/alerts/hooks";
import { db } from "@/lib/db";
import type { SyncErrorClass } from "@/lib/errors";
import { parsePolicy, type Policy } from "@/lib/policy/schema";

/**
 * A sync run's life in the database: running → (waiting) → succeeded | skipped_by_policy | failed,
 * with one RunAttempt row per try of a step that talks to Magento or Sage.
 */

export const TERMINAL: readonly RunStatus[] = ["succeeded", "skipped_by_policy", "failed"];

export interface RunScope {
  runId: string;
  status: RunStatus;
  tenantId: string;
  bindingId: string;
  event: string;
  entityType: string;
  magentoEntityId: number;
  websiteId: number;
  storeId: number;
  magentoConnectionId: string;
  sageConnectionId: string | null;
  sageBusinessId: string | null;
  businessCountry: string;
  baseCurrency: string;
  provider: string;
  policy: Policy;
  policyVersion: number;
  /** The Inngest event that currently owns the run; a retry or a recovery hands it to a new one. */
  inngestEventId: string | null;
}

/** Everything a sync step needs about its run, or null when the run does not exist (yet). */
export async function loadRunScope(runId: string): Promise<RunScope | null> {
  const run = await db().syncRun.findUnique({
    where: { id: runId },
    include: { binding: { include: { sageConnection: true } } },
  });
  if (!run) return null;
  const sage = run.binding.sageConnection;
  return {
    runId: run.id,
    status: run.status,
    tenantId: run.tenantId,
    bindingId: run.bindingId,
    event: run.event,
    entityType: run.entityType,
    // int unsigned in Magento: bigint in PostgreSQL, always a safe integer here
    magentoEntityId: Number(run.magentoEntityId),
    websiteId: Number(run.websiteId),
    storeId: Number(run.storeId),
    magentoConnectionId: run.binding.magentoConnectionId,
    sageConnectionId: sage?.id ?? null,
    sageBusinessId: sage?.businessId ?? null,
    businessCountry: sage?.country ?? "GB",
    baseCurrency: sage?.baseCurrency ?? "GBP",
    provider: run.provider,
    policy: parsePolicy(run.policySnapshot),
    policyVersion: run.policyVersion,
    inngestEventId: run.inngestEventId,
  };
}

export async function runStatus(runId: string): Promise<RunStatus | null> {
  const r = await db().syncRun.findUnique({ where: { id: runId }, select: { status: true } });
  return r?.status ?? null;
}

export async function markRunning(runId: string): Promise<void> {
  await db().syncRun.updateMany({
    where: { id: runId, status: { in: ["queued", "waiting", "running"] } },
    data: { status: "running", startedAt: new Date() },
  });
}

export async function markWaiting(runId: string, note: string): Promise<void> {
  await db().syncRun.updateMany({
    where: { id: runId, status: { in: ["queued", "running"] } },
    data: { status: "waiting", errorMessage: note },
  });
}

export interface AttemptRecord {
  step: string;
  outcome: "succeeded" | "failed" | "skipped";
  errorClass?: SyncErrorClass;
  errorMessage?: string;
  httpStatus?: number;
  request?: Prisma.InputJsonValue;
  response?: Prisma.InputJsonValue;
  payload?: Prisma.InputJsonValue;
  startedAt: Date;
  durationMs: number;
}

/** Append an attempt; numbering comes from the run's counter so concurrent writers never collide. */
export async function recordAttempt(runId: string, a: AttemptRecord): Promise<number> {
  return db().$transaction(async (tx) => {
    const { attemptCount } = await tx.syncRun.update({
      where: { id: runId },
      data: { attemptCount: { increment: 1 } },
      select: { attemptCount: true },
    });
    await tx.runAttempt.create({
      data: {
        runId,
        number: attemptCount,
        step: a.step,
        outcome: a.outcome,
        errorClass: a.errorClass,
        errorMessage: a.errorMessage?.slice(0, 2000),
        httpStatus: a.httpStatus,
        requestSummary: a.request,
        responseSummary: a.response,
        payload: a.payload,
        startedAt: a.startedAt,
        finishedAt: new Date(a.startedAt.getTime() + a.durationMs),
        durationMs: a.durationMs,
      },
    });
    return attemptCount;
  });
}

export async function lastFailedAttempt(runId: string) {
  return db().runAttempt.findFirst({ where: { runId, outcome: "failed" }, orderBy: { number: "desc" } });
}

export type RunOutcome =
  | {
      status: "succeeded";
      providerEntityId?: string | null;
      providerReference?: string | null;
      warnings?: string[];
      warningDetails?: Prisma.InputJsonValue;
    }
  | { status: "skipped_by_policy"; reasonCode: string }
  | { status: "failed"; errorClass: SyncErrorClass; errorMessage: string };

/** Record a warning on a run once (e.g. NUL bytes replaced in what Magento sent); settling keeps it. */
export async function addRunWarning(runId: string, warning: string): Promise<void> {
  await db()
    .$executeRaw`UPDATE sync_runs SET warnings = array_append(warnings, ${warning}), updated_at = now() WHERE id = ${runId}::uuid AND NOT (${warning} = ANY(warnings))`;
}

/**
 * Settle a run. A run already settled by a concurrent duplicate keeps its first outcome. A success
 * adds its warnings to those recorded earlier in the run (at intake, when fetching).
 */
export async function completeRun(runId: string, outcome: RunOutcome, summary?: Prisma.InputJsonValue): Promise<void> {
  const base = { finishedAt: new Date(), ...(summary !== undefined ? { entitySummary: summary } : {}) };
  const earlier =
    outcome.status === "succeeded"
      ? ((await db().syncRun.findUnique({ where: { id: runId }, select: { warnings: true } }))?.warnings ?? [])
      : [];
  const data: Prisma.SyncRunUpdateManyMutationInput =
    outcome.status === "succeeded"
      ? {
          ...base,
          status: "succeeded",
          providerEntityId: outcome.providerEntityId ?? null,
          providerReference: outcome.providerReference ?? null,
          warnings: [...new Set([...earlier, ...(outcome.warnings ?? [])])],
          warningDetails: outcome.warningDetails ?? Prisma.DbNull,
          reasonCode: null,
          errorClass: null,
          errorMessage: null,
        }
      : outcome.status === "skipped_by_policy"
        ? { ...base, status: "skipped_by_policy", reasonCode: outcome.reasonCode, errorClass: null, errorMessage: null }
        : {
            ...base,
            status: "failed",
            errorClass: outcome.errorClass,
            errorMessage: outcome.errorMessage.slice(0, 2000),
            reasonCode: null,
          };
  const { count } = await db().syncRun.updateMany({ where: { id: runId, status: { notIn: ["succeeded", "skipped_by_policy"] } }, data });
  // Failed runs and D11 total_mismatch warnings are alerted (issue 16); raising never throws. A plain
  // success costs nothing extra.
  const mismatch = outcome.status === "succeeded" && [...earlier, ...(outcome.warnings ?? [])].includes("total_mismatch");
  if (count && (outcome.status === "failed" || mismatch)) await raiseForSettledRun(runId);
}

export async function saveEntitySummary(runId: string, summary: Prisma.InputJsonValue): Promise<void> {
  await db().syncRun.update({ where: { id: runId }, data: { entitySummary: summary } });
}

import { z } from "zod";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { filterToSearchParams, parseHistoryFilter, timeWindow, type HistoryFilter } from "@/lib/history/filter";
import { countRuns, listRuns } from "@/lib/history/query";
import { inngest } from "@/lib/jobs/client";
import { bulkRetryRequestedEvent } from "@/lib/jobs/events";
import { log } from "@/lib/log";
import { RUN_STATUSES } from "@/lib/status-views/vocabulary";
import { RETRYABLE_STATUSES, retryRun } from "@/lib/sync/retry";

/**
 * "Retry everything matching this filter": a BulkRetry row with progress counters, worked through
 * page by page by the `bulk-retry` Inngest function. The filter is frozen when the operator confirms
 * (absolute time window ending at that moment, status narrowed to the retryable ones), so runs that
 * fail after the click are not swept up, and leaving and coming back shows the same job.
 */

export const BULK_RETRY_PAGE = 50;

export interface BulkRetryView {
  id: string;
  status: "running" | "completed" | "failed";
  total: number;
  done: number;
  failed: number;
  createdAt: string;
  finishedAt: string | null;
  filter: string;
}

/** The part of a filter bulk retry acts on: its retryable statuses, or null when it names none. */
export function retryableFilter(f: HistoryFilter): HistoryFilter | null {
  const retryable: readonly string[] = RETRYABLE_STATUSES;
  const status = RUN_STATUSES.filter((s) => retryable.includes(s) && (!f.status.length || f.status.includes(s)));
  return status.length ? { ...f, status, sort: "time", dir: "desc" } : null;
}

/** Fix a filter's window to absolute times, ending now. */
export function freezeFilter(f: HistoryFilter, now: Date): HistoryFilter {
  const w = timeWindow(f, now);
  const to = w.to && w.to < now ? w.to : now;
  return { ...f, range: "custom", from: w.from, to };
}

/** How many runs a bulk retry of this filter would touch right now (the "Retry N runs" label). */
export async function countRetryable(tenantId: string, f: HistoryFilter): Promise<number> {
  const rf = retryableFilter(f);
  if (!rf) return 0;
  const { byStatus } = await countRuns(tenantId, rf);
  return rf.status.reduce((n, s) => n + byStatus[s], 0);
}

function view(r: {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  createdAt: Date;
  finishedAt: Date | null;
  filter: unknown;
}): BulkRetryView {
  const status = r.status === "completed" || r.status === "failed" ? r.status : "running";
  const params = z.object({ params: z.string() }).safeParse(r.filter);
  return {
    id: r.id,
    status,
    total: r.total,
    done: r.done,
    failed: r.failed,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    filter: params.success ? params.data.params : "",
  };
}

export async function startBulkRetry(args: {
  tenantId: string;
  actorUserId: string | null;
  filter: HistoryFilter;
  now?: Date;
}): Promise<BulkRetryView> {
  const rf = retryableFilter(args.filter);
  if (!rf) throw new AppError("conflict", "Only failed or skipped runs can be retried; this filter shows neither.");
  const frozen = freezeFilter(rf, args.now ?? new Date());
  const total = await countRetryable(args.tenantId, frozen);
  if (!total) throw new AppError("conflict", "No failed or skipped runs match this filter.");
  const running = await db().bulkRetry.findFirst({ where: { tenantId: args.tenantId, status: "running" }, select: { id: true } });
  if (running) throw new AppError("conflict", "A bulk retry is already running in this workspace; wait for it to finish.");
  const row = await db().$transaction(async (tx) => {
    const created = await tx.bulkRetry.create({
      data: {
        tenantId: args.tenantId,
        bindingId: frozen.binding ?? null,
        filter: { params: filterToSearchParams(frozen).toString() },
        total,
        createdById: args.actorUserId,
      },
    });
    await audit(
      {
        tenantId: args.tenantId,
        actorType: args.actorUserId ? "user" : "system",
        actorUserId: args.actorUserId,
        action: "runs.bulk_retried",
        targetType: "bulk_retry",
        targetId: created.id,
        data: { total },
      },
      tx,
    );
    return created;
  });
  try {
    await inngest.send(bulkRetryRequestedEvent({ bulkRetryId: row.id, tenantId: args.tenantId }));
  } catch (e) {
    await db().bulkRetry.update({ where: { id: row.id }, data: { status: "failed", finishedAt: new Date() } });
    throw new AppError("service_unavailable", "The sync engine is not reachable right now; nothing was retried. Try again in a minute.", {
      cause: e,
    });
  }
  return view(row);
}

export interface PageResult {
  nextCursor: string | null;
  done: number;
  failed: number;
}

/**
 * Retry one page of the job's matching runs. Retried runs leave the failed/skipped set, and the
 * keyset cursor moves past them, so a page re-executed after a crash only sees runs still waiting.
 */
export async function processBulkRetryPage(args: {
  tenantId: string;
  bulkRetryId: string;
  cursor: string | null;
  pageSize?: number;
}): Promise<PageResult> {
  const job = await db().bulkRetry.findFirst({ where: { id: args.bulkRetryId, tenantId: args.tenantId } });
  if (!job || job.status !== "running") return { nextCursor: null, done: 0, failed: 0 };
  const filter = parseHistoryFilter(new URLSearchParams(view(job).filter));
  const page = await listRuns(args.tenantId, filter, { cursor: args.cursor, limit: args.pageSize ?? BULK_RETRY_PAGE });
  let done = 0;
  let failed = 0;
  for (const run of page.rows) {
    try {
      await retryRun({ tenantId: args.tenantId, runId: run.id, actorUserId: job.createdById });
      done++;
    } catch (e) {
      failed++;
      log.warn(
        { bulkRetryId: job.id, runId: run.id, code: isAppError(e) ? e.code : "internal", err: isAppError(e) ? undefined : e },
        "bulk retry: run not retried",
      );
    }
  }
  if (done || failed) {
    await db().bulkRetry.update({ where: { id: job.id }, data: { done: { increment: done }, failed: { increment: failed } } });
  }
  return { nextCursor: page.nextCursor, done, failed };
}

export async function finishBulkRetry(tenantId: string, bulkRetryId: string, status: "completed" | "failed" = "completed"): Promise<void> {
  await db().bulkRetry.updateMany({ where: { id: bulkRetryId, tenantId, status: "running" }, data: { status, finishedAt: new Date() } });
}

export async function getBulkRetry(tenantId: string, id: string): Promise<BulkRetryView | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const row = await db().bulkRetry.findFirst({ where: { id, tenantId } });
  return row ? view(row) : null;
}

/** The job the history page shows: one still running, or the last one finished within the hour. */
const FINISHED_CARD_MS = 10 * 60_000;

export async function currentBulkRetry(tenantId: string, now: Date = new Date()): Promise<BulkRetryView | null> {
  const row = await db().bulkRetry.findFirst({ where: { tenantId }, orderBy: { createdAt: "desc" } });
  if (!row) return null;
  // A finished job's card stays long enough to be read, then goes away (issue 17); Dismiss hides it sooner.
  if (row.status !== "running" && row.finishedAt && now.getTime() - row.finishedAt.getTime() > FINISHED_CARD_MS) return null;
  return view(row);
}

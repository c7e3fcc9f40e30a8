import { db } from "@/lib/db";
import { childLog } from "@/lib/log";
import { dispatchRuns, dispatchUndispatched, dispatchWaitingRuns, forgetSettledRuns, storedEventFor } from "./dispatch";

const log = childLog({ component: "sync.sweep" });

/**
 * Nothing lost: send the runs the outbox still owes Inngest, after a short delay (a
 * crash between intake's commit and its send; the instance that stored them normally sends within
 * milliseconds); re-send the events of runs that have sat in `queued` for a while (an executor
 * restored from an older backup…) with their original event ids, so the executor ignores the ones it
 * already has; and start runs that were waiting for a Sage connection that is now live.
 */
export async function sweepStaleRuns({
  olderThanMs = 120_000,
  undispatchedAfterMs = 10_000,
  limit = 500,
}: { olderThanMs?: number; undispatchedAfterMs?: number; limit?: number } = {}): Promise<{
  undispatched: number;
  redispatched: number;
  started: number;
}> {
  await forgetSettledRuns();
  const undispatched = await dispatchUndispatched({ olderThanMs: undispatchedAfterMs, limit });
  const cutoff = new Date(Date.now() - olderThanMs);
  const stale = await db().syncRun.findMany({
    where: { status: "queued", updatedAt: { lt: cutoff }, binding: { status: "active" } },
    include: { binding: { select: { sageConnectionId: true } } },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  if (stale.length) await dispatchRuns(stale.map((r) => storedEventFor(r, r.binding.sageConnectionId)));

  const waitingBindings = await db().syncRun.findMany({
    where: { status: "waiting", inngestEventId: null, binding: { status: "active" } },
    distinct: ["bindingId"],
    select: { bindingId: true },
  });
  let started = 0;
  for (const { bindingId } of waitingBindings) started += await dispatchWaitingRuns(bindingId);
  if (undispatched || stale.length || started) log.info({ undispatched, redispatched: stale.length, started }, "swept stale runs");
  return { undispatched, redispatched: stale.length, started };
}

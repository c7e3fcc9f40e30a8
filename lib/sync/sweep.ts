import { db } from "@/lib/db";
import { childLog } from "@/lib/log";
import { dispatchRuns, dispatchWaitingRuns, storedEventFor } from "./dispatch";

const log = childLog({ component: "sync.sweep" });

/**
 * Nothing lost: re-send the events of runs that have sat in `queued` for a while (a send lost between
 * commit and executor, an executor restored from an older backup…) with their original event ids, so
 * the executor ignores the ones it already has; and start runs that were waiting for a Sage connection
 * that is now live.
 */
export async function sweepStaleRuns({ olderThanMs = 120_000, limit = 500 } = {}): Promise<{ redispatched: number; started: number }> {
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
  if (stale.length || started) log.info({ redispatched: stale.length, started }, "swept stale runs");
  return { redispatched: stale.length, started };
}

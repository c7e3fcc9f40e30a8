import { db } from "@/lib/db";
import { MAGENTO_UNREACHABLE_AFTER_MS } from "@/lib/magento/reach";
import { childLog } from "@/lib/log";
import { magentoClientForConnection, type ClientForOptions } from "./client-for";
import { raiseMagentoUnreachableAlert } from "./unreachable-alert";

/**
 * Magento liveness: a signed `GET /V1/byte8/ping` to every connected store (wire-protocol §8.3:
 * judge by status, never by the body), recording when it last answered, the last failure and since
 * when it has been failing. The dashboard and the Magento tile read those columns through
 * lib/magento/reach.ts. Run every few minutes by inngest/functions/magento-ping.ts.
 */

const log = childLog({ component: "magento.liveness" });

/** Stores worth pinging: paired (a key we hold), not disconnected. A revoked key is pinged too: an answer is how it recovers. */
const PINGABLE_STATUSES: ("pending" | "active" | "token_revoked")[] = ["pending", "active", "token_revoked"];
const PINGABLE = { status: { in: PINGABLE_STATUSES }, encryptedApiKey: { not: null } };

export interface PingOptions {
  /** When the ping is recorded as having happened (tests place pings in time); default: now. */
  now?: () => Date;
  client?: ClientForOptions;
}

export interface PingOutcome {
  connectionId: string;
  ok: boolean;
  /** Magento's own message (or ours, when it never answered) */
  error?: string;
  /** true on the ping that made this outage 10 minutes old (the alert was raised) */
  becameUnreachable?: boolean;
}

// Both records skip a store disconnected while it was being pinged: its state is no longer ours to keep.
async function recordSuccess(connectionId: string, at: Date): Promise<void> {
  await db().magentoConnection.updateMany({
    where: { id: connectionId, ...PINGABLE },
    data: { lastReachedAt: at, unreachableSince: null },
  });
}

/** Records a failed ping; true when this failure is the one that crossed the 10-minute line. */
async function recordFailure(connectionId: string, at: Date, error: string): Promise<{ crossed: boolean; since: Date }> {
  return db().$transaction(async (tx) => {
    const [prev] = await tx.$queryRaw<{ unreachable_since: Date | null; last_ping_error_at: Date | null }[]>`
      SELECT unreachable_since, last_ping_error_at FROM magento_connections WHERE id = ${connectionId}::uuid FOR UPDATE`;
    const since = prev?.unreachable_since ?? at;
    const updated = await tx.magentoConnection.updateMany({
      where: { id: connectionId, ...PINGABLE },
      data: { lastPingError: error.slice(0, 500), lastPingErrorAt: at, unreachableSince: since },
    });
    if (updated.count === 0) return { crossed: false, since };
    const redBefore =
      prev?.unreachable_since && prev.last_ping_error_at
        ? prev.last_ping_error_at.getTime() - since.getTime() >= MAGENTO_UNREACHABLE_AFTER_MS
        : false;
    const redNow = at.getTime() - since.getTime() >= MAGENTO_UNREACHABLE_AFTER_MS;
    return { crossed: redNow && !redBefore, since };
  });
}

export async function pingStore(connectionId: string, opts: PingOptions = {}): Promise<PingOutcome> {
  const now = opts.now ?? (() => new Date());
  let error: string;
  try {
    const client = await magentoClientForConnection(connectionId, opts.client);
    await client.ping();
    await recordSuccess(connectionId, now());
    return { connectionId, ok: true };
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const { crossed, since } = await recordFailure(connectionId, now(), error);
  if (crossed) {
    const row = await db().magentoConnection.findUniqueOrThrow({
      where: { id: connectionId },
      select: { tenantId: true, baseUrl: true, lastReachedAt: true },
    });
    await raiseMagentoUnreachableAlert({
      tenantId: row.tenantId,
      connectionId,
      baseUrl: row.baseUrl,
      since,
      lastReachedAt: row.lastReachedAt,
      error,
    });
  }
  log.info({ connectionId, error, unreachableSince: since.toISOString() }, "magento did not answer the ping");
  return { connectionId, ok: false, error, ...(crossed ? { becameUnreachable: true } : {}) };
}

export interface PingSummary {
  pinged: number;
  reachable: number;
  failing: number;
  /** stores that turned red (10 minutes of failures) on this round */
  becameUnreachable: number;
}

/** Pings every connected store, a few at a time; one store's failure never stops the others. */
export async function pingConnectedStores(opts: PingOptions & { concurrency?: number } = {}): Promise<PingSummary> {
  const rows = await db().magentoConnection.findMany({ where: PINGABLE, select: { id: true }, orderBy: { createdAt: "asc" } });
  const queue = rows.map((r) => r.id);
  const outcomes: PingOutcome[] = [];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        outcomes.push(await pingStore(id, opts));
      } catch (e) {
        // Our own failure (the database, say), not Magento's: logged, and the round goes on.
        log.error({ connectionId: id, err: e }, "recording a ping failed");
        outcomes.push({ connectionId: id, ok: false, error: "internal" });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, queue.length) }, worker));
  const failing = outcomes.filter((o) => !o.ok);
  return {
    pinged: outcomes.length,
    reachable: outcomes.length - failing.length,
    failing: failing.length,
    becameUnreachable: failing.filter((o) => o.becameUnreachable).length,
  };
}

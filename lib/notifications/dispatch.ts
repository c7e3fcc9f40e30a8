import { db } from "@/lib/db";
import { inngest } from "@/lib/jobs/client";
import { alertDeliveryEvent } from "@/lib/jobs/events";
import { childLog } from "@/lib/log";

/**
 * Hands pending deliveries to the alert-deliver function. If Inngest cannot be reached the rows stay
 * pending with no dispatch time and the digest cron sends them again: nothing is lost, nothing blocks.
 */

const log = childLog({ component: "alerts.dispatch" });

/** A pending delivery not picked up for this long is dispatched again (a lost event). */
export const REDISPATCH_AFTER_MS = 30 * 60_000;

export async function dispatchDeliveries(rows: { id: string; tenantId: string }[], round = 0): Promise<void> {
  if (!rows.length) return;
  try {
    await inngest.send(rows.map((r) => alertDeliveryEvent({ deliveryId: r.id, tenantId: r.tenantId }, round)));
    await db().alertDelivery.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { dispatchedAt: new Date() } });
  } catch (err) {
    log.warn({ err, deliveries: rows.length }, "could not hand alert deliveries to Inngest; the cron sends them again");
  }
}

/** Pending deliveries never dispatched, or dispatched long ago and still pending. */
export async function redispatchStale(now = new Date()): Promise<number> {
  const stale = await db().alertDelivery.findMany({
    where: {
      status: "pending",
      OR: [{ dispatchedAt: null }, { dispatchedAt: { lt: new Date(now.getTime() - REDISPATCH_AFTER_MS) } }],
    },
    select: { id: true, tenantId: true, attempts: true },
    take: 200,
  });
  // A fresh event id per round, so the executor's de-duplication does not swallow the re-send.
  for (const row of stale) await dispatchDeliveries([row], Math.floor(now.getTime() / REDISPATCH_AFTER_MS));
  return stale.length;
}

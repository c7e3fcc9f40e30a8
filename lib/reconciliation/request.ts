import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { inngest } from "@/lib/jobs/client";
import { reconciliationRequestedEvent } from "@/lib/jobs/events";
import { childLog } from "@/lib/log";
import { isoDate, periodInput, type Period } from "./period";

/**
 * Starting reconciliations: on demand (the page's "Run now", tenant-checked by the caller) and from the
 * daily schedule (yesterday, for every binding with Sage connected). Each creates its row first, so the
 * page shows it queued at once, then hands it to Inngest under an id derived from the row.
 */

const log = childLog({ component: "reconciliation.request" });
const at = (s: string) => new Date(`${s}T00:00:00Z`);

export async function requestReconciliation(args: {
  tenantId: string;
  bindingId: string;
  period: Period;
  trigger: "manual" | "schedule";
  userId?: string | null;
}): Promise<{ id: string }> {
  const period = periodInput.parse(args.period);
  const binding = await db().binding.findFirst({
    where: { id: args.bindingId, tenantId: args.tenantId },
    select: { id: true, status: true, sageConnectionId: true },
  });
  if (!binding) throw new AppError("not_found", "No such store connection in this workspace.");
  if (binding.status !== "active" || !binding.sageConnectionId) {
    throw new AppError("conflict", "Connect Sage for this store before reconciling it.");
  }
  const row = await db().reconciliation.create({
    data: {
      tenantId: args.tenantId,
      bindingId: binding.id,
      periodStart: at(period.start),
      periodEnd: at(period.end),
      trigger: args.trigger,
      requestedById: args.userId ?? null,
    },
  });
  try {
    await inngest.send(
      reconciliationRequestedEvent({
        reconciliationId: row.id,
        tenantId: args.tenantId,
        bindingId: binding.id,
        sageKey: binding.sageConnectionId,
      }),
    );
  } catch (e) {
    await db().reconciliation.update({
      where: { id: row.id },
      data: { status: "failed", errorMessage: "Could not start: the job runner is unavailable." },
    });
    throw new AppError("service_unavailable", "The job runner is unavailable; try again in a minute.", { details: { cause: String(e) } });
  }
  return { id: row.id };
}

/** The daily cron: yesterday for every active binding with Sage, once per binding and day. */
export async function scheduleDailyReconciliations(now = new Date()): Promise<{ requested: number }> {
  const y = new Date(now);
  y.setUTCDate(y.getUTCDate() - 1);
  const day = isoDate(y);
  const bindings = await db().binding.findMany({
    where: { status: "active", sageConnectionId: { not: null }, sageConnection: { status: "active" } },
    select: { id: true, tenantId: true },
  });
  let requested = 0;
  for (const b of bindings) {
    const exists = await db().reconciliation.findFirst({
      where: { bindingId: b.id, trigger: "schedule", periodStart: at(day), periodEnd: at(day) },
      select: { id: true },
    });
    if (exists) continue;
    try {
      await requestReconciliation({ tenantId: b.tenantId, bindingId: b.id, period: { start: day, end: day }, trigger: "schedule" });
      requested++;
    } catch (e) {
      log.warn({ bindingId: b.id, err: e }, "daily reconciliation not started");
    }
  }
  return { requested };
}

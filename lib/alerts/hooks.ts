import { db } from "@/lib/db";
import { childLog } from "@/lib/log";
import { raiseAlert } from "./raise";

/**
 * What the sync raises, in the sync's own terms: each takes what the caller already knows, words the
 * item and keys it so that raising it twice is one alert. Like raiseAlert, none of these ever throws.
 */

const log = childLog({ component: "alerts" });

/**
 * The history drawer of one run. Written out rather than taken from lib/history/links.ts: raising sits
 * below the sync (which calls it) and so below the history; hooks.test.ts holds it equal to `runUrl`.
 */
export const runLink = (runId: string) => `/dashboard/sync?run=${runId}`;

const DOC: Record<string, string> = { invoice: "Invoice", creditmemo: "Credit memo", customer: "Customer", product: "Product" };

async function runLine(runId: string) {
  return db().syncRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      tenantId: true,
      bindingId: true,
      entityType: true,
      magentoEntityId: true,
      magentoIncrementId: true,
      event: true,
      errorClass: true,
      errorMessage: true,
      warnings: true,
      status: true,
    },
  });
}

function docName(run: { entityType: string; magentoIncrementId: string | null; magentoEntityId: bigint }): string {
  return `${DOC[run.entityType] ?? run.entityType} ${run.magentoIncrementId ?? `#${run.magentoEntityId}`}`;
}

/** A run settled as failed (lib/sync/runs.ts completeRun), or with a total_mismatch warning (D11). */
export async function raiseForSettledRun(runId: string): Promise<void> {
  try {
    const run = await runLine(runId);
    if (!run) return;
    if (run.status === "failed") {
      await raiseAlert({
        tenantId: run.tenantId,
        kind: "run_failed",
        bindingId: run.bindingId,
        items: [
          { key: `run:${run.id}`, summary: `${docName(run)} failed (${run.errorClass}): ${run.errorMessage ?? ""}`, link: runLink(run.id) },
        ],
      });
    } else if (run.status === "succeeded" && run.warnings.includes("total_mismatch")) {
      await raiseAlert({
        tenantId: run.tenantId,
        kind: "total_mismatch",
        bindingId: run.bindingId,
        items: [
          { key: `run:${run.id}`, summary: `${docName(run)} reached Sage, but Sage's totals differ from Magento's`, link: runLink(run.id) },
        ],
      });
    }
  } catch (err) {
    log.error({ err, runId }, "could not raise the alert of a settled run");
  }
}

/** The lease sweep gave up on runs that made no progress (lib/sync/lease.ts). */
export async function raiseForStuckRuns(runIds: string[]): Promise<void> {
  for (const id of runIds) {
    try {
      const run = await runLine(id);
      if (!run) continue;
      await raiseAlert({
        tenantId: run.tenantId,
        kind: "run_stuck",
        bindingId: run.bindingId,
        items: [
          {
            key: `run:${run.id}`,
            summary: `${docName(run)} made no progress and was stopped: ${run.errorMessage ?? ""}`,
            link: runLink(run.id),
          },
        ],
      });
    } catch (err) {
      log.error({ err, runId: id }, "could not raise the alert of a stuck run");
    }
  }
}

/** Sage refused the refresh (or it failed too often): the connection is parked as needs_reconnect (lib/sage/custody.ts). */
export async function raiseSageReconnect(conn: {
  id: string;
  tenantId: string;
  businessName: string;
  updatedAt: Date;
  lastRefreshError: string | null;
}) {
  await raiseAlert({
    tenantId: conn.tenantId,
    kind: "sage_reconnect",
    items: [
      {
        key: `sage:${conn.id}:parked:${conn.updatedAt.toISOString()}`,
        summary: `Sage business "${conn.businessName}" needs reconnecting: ${conn.lastRefreshError ?? "Sage refused Ledger's refresh"}`,
        link: "/dashboard/bindings",
      },
    ],
  });
}

import { db, type Prisma } from "@/lib/db";
import { childLog } from "@/lib/log";
import type { RowClass } from "./vocabulary";

/**
 * The seam between reconciliation and whoever must hear about its differences. A finished run that
 * found differences calls `onReconciliationDifferences` once; today it records the summary on the
 * reconciliation row (what the page's banner shows), and alerting (digests, email, webhook) hooks in
 * here. Idempotent: a retried step that calls it again rewrites the same summary.
 */

const log = childLog({ component: "reconciliation.notify" });

export interface ReconciliationResult {
  reconciliationId: string;
  tenantId: string;
  bindingId: string;
  period: { start: string; end: string };
  counts: Record<RowClass, number>;
  /** the first few differing rows, for a digest */
  examples: { class: RowClass; documentType: string; reference: string | null; differencePence: number | null; currency: string }[];
}

export interface DifferenceSummary {
  differences: number;
  byClass: Partial<Record<RowClass, number>>;
  examples: ReconciliationResult["examples"];
  period: ReconciliationResult["period"];
}

export function summarise(result: ReconciliationResult): DifferenceSummary {
  const byClass = Object.fromEntries(
    Object.entries(result.counts).filter(([c, n]) => c !== "matched" && n > 0),
  ) as DifferenceSummary["byClass"];
  const differences = Object.values(byClass).reduce((a, n) => a + (n ?? 0), 0);
  return { differences, byClass, examples: result.examples.slice(0, 5), period: result.period };
}

export async function onReconciliationDifferences(result: ReconciliationResult): Promise<DifferenceSummary> {
  const summary = summarise(result);
  await db().reconciliation.update({
    where: { id: result.reconciliationId },
    data: { differenceSummary: summary as unknown as Prisma.InputJsonValue, notifiedAt: new Date() },
  });
  log.info(
    { reconciliationId: result.reconciliationId, bindingId: result.bindingId, differences: summary.differences },
    "reconciliation found differences",
  );
  return summary;
}

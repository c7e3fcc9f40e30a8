import { raiseAlert } from "@/lib/alerts/raise";
import { db, type Prisma } from "@/lib/db";
import { childLog } from "@/lib/log";
import { reconciliationHref } from "./period";
import { CLASS_LABEL, DOCUMENT_LABEL, ROW_CLASSES, type DocumentType, type RowClass } from "./vocabulary";

/**
 * The seam between reconciliation and whoever must hear about its differences. A finished run that
 * found differences calls `onReconciliationDifferences` once: it records the summary on the
 * reconciliation row (what the page's banner shows) and raises a `reconciliation_differences` alert
 * (digested, then emailed and sent to the workspace's webhook). Idempotent: a retried step rewrites the
 * same summary, and the alert is keyed by the reconciliation, so it is raised once.
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
  const link = reconciliationHref({ bindingId: result.bindingId, period: result.period, reconciliationId: result.reconciliationId });
  await raiseAlert({
    tenantId: result.tenantId,
    kind: "reconciliation_differences",
    bindingId: result.bindingId,
    link,
    items: [
      { key: `reconciliation:${result.reconciliationId}`, summary: differenceLine(summary), link, data: { byClass: summary.byClass } },
    ],
  });
  return summary;
}

/** "1 Jun – 30 Jun 2026: 3 differences (2 changed in Sage, 1 missing in Sage), e.g. Invoice MAG-000000012 changed in Sage". */
export function differenceLine(summary: DifferenceSummary): string {
  const { start, end } = summary.period;
  const classes = ROW_CLASSES.filter((c) => summary.byClass[c])
    .map((c) => `${summary.byClass[c]} ${phrase(c)}`)
    .join(", ");
  const first = summary.examples[0];
  const example = first
    ? `, e.g. ${DOCUMENT_LABEL[first.documentType as DocumentType] ?? first.documentType} ${first.reference ?? "(no reference)"} ${phrase(first.class)}`
    : "";
  const period = start === end ? start : `${start} to ${end}`;
  return `Reconciliation ${period}: ${summary.differences} difference${summary.differences === 1 ? "" : "s"} (${classes})${example}`;
}

/** "Changed in Sage" inside a sentence: "changed in Sage" (names keep their capitals). */
const phrase = (c: RowClass) => CLASS_LABEL[c].charAt(0).toLowerCase() + CLASS_LABEL[c].slice(1);

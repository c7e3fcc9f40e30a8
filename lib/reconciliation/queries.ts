import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RowInput } from "./classify";
import type { Totals } from "./totals";
import { perDay } from "./totals";
import { isoDate, type Period } from "./period";
import { isRowClass, ROW_CLASSES, type DocumentType, type RowClass } from "./vocabulary";

/**
 * What the reconciliation page, its CSV export and the run detail read: stored results only (never
 * Sage), always scoped by tenant, so the page opens instantly and another workspace's ids find nothing.
 */

export interface ReconciliationView {
  id: string;
  bindingId: string;
  period: Period;
  trigger: string;
  status: "queued" | "running" | "succeeded" | "failed";
  progress: number;
  progressNote: string | null;
  sageCalls: number;
  baseCurrency: string | null;
  counts: Record<RowClass, number> | null;
  totals: Totals | null;
  differences: number | null;
  errorMessage: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A stored row as the page shows it: what classify() produced, without the base-currency figures. */
export type RowView = Omit<RowInput, "baseMagentoPence" | "baseSagePence"> & { id: string };

type RecRow = Awaited<ReturnType<ReturnType<typeof db>["reconciliation"]["findFirstOrThrow"]>>;

function view(r: RecRow): ReconciliationView {
  const counts = r.counts as Record<RowClass, number> | null;
  return {
    id: r.id,
    bindingId: r.bindingId,
    period: { start: isoDate(r.periodStart), end: isoDate(r.periodEnd) },
    trigger: r.trigger,
    status: r.status,
    progress: r.progress,
    progressNote: r.progressNote,
    sageCalls: r.sageCalls,
    baseCurrency: r.baseCurrency,
    counts,
    totals: r.totals as Totals | null,
    differences: counts ? ROW_CLASSES.filter((c) => c !== "matched").reduce((a, c) => a + (counts[c] ?? 0), 0) : null,
    errorMessage: r.errorMessage,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

const at = (s: string) => new Date(`${s}T00:00:00Z`);

/** A given reconciliation (if it is this tenant's and binding's), else the latest for the binding and period. */
export async function findReconciliation(tenantId: string, bindingId: string, period: Period, id?: string | null) {
  const where = id ? { id, tenantId, bindingId } : { tenantId, bindingId, periodStart: at(period.start), periodEnd: at(period.end) };
  const row = await db().reconciliation.findFirst({ where, orderBy: { createdAt: "desc" } });
  return row ? view(row) : null;
}

/** Earlier reconciliations of a binding, newest first (the page's "earlier results"). */
export async function recentReconciliations(tenantId: string, bindingId: string, take = 8): Promise<ReconciliationView[]> {
  const rows = await db().reconciliation.findMany({ where: { tenantId, bindingId }, orderBy: { createdAt: "desc" }, take });
  return rows.map(view);
}

export const PAGE_ROWS = 500;

export async function reconciliationRows(
  tenantId: string,
  reconciliationId: string,
  cls?: RowClass | null,
  take: number | undefined = PAGE_ROWS,
): Promise<{ rows: RowView[]; total: number }> {
  const where = { reconciliationId, reconciliation: { tenantId }, ...(cls ? { class: cls } : {}) };
  const [rows, total] = await Promise.all([
    db().reconciliationRow.findMany({
      where,
      orderBy: [{ documentDate: "asc" }, { documentType: "asc" }, { magentoEntityId: "asc" }],
      take,
    }),
    db().reconciliationRow.count({ where }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      documentType: r.documentType as DocumentType,
      class: isRowClass(r.class) ? r.class : "matched",
      reason: r.reason,
      reasonDetail: r.reasonDetail,
      documentDate: isoDate(r.documentDate),
      magentoEntityId: r.magentoEntityId === null ? null : Number(r.magentoEntityId),
      magentoIncrementId: r.magentoIncrementId,
      runId: r.runId,
      currency: r.currency,
      magentoPence: r.magentoPence,
      sagePence: r.sagePence,
      differencePence: r.differencePence,
      sageId: r.sageId,
      sageReference: r.sageReference,
      sageDocReference: r.sageDocReference,
      sageStatus: r.sageStatus,
    })),
  };
}

/** Matched vs not per day of the period, for the chart. */
export async function dailyCounts(tenantId: string, rec: ReconciliationView) {
  const rows = await db().reconciliationRow.findMany({
    where: { reconciliationId: rec.id, reconciliation: { tenantId } },
    select: { documentDate: true, class: true },
  });
  return perDay(
    rows.map((r) => ({ documentDate: isoDate(r.documentDate), class: isRowClass(r.class) ? r.class : "matched" })),
    rec.period,
  );
}

/** The newest reconciliation row about a run, for the run detail's link back. */
export async function rowForRun(tenantId: string, runId: string) {
  const row = await db().reconciliationRow.findFirst({
    where: { runId, reconciliation: { tenantId, status: "succeeded" } },
    orderBy: { reconciliation: { createdAt: "desc" } },
    select: { id: true, class: true, reconciliation: { select: { id: true, bindingId: true, periodStart: true, periodEnd: true } } },
  });
  if (!row) return null;
  return {
    rowId: row.id,
    class: row.class,
    reconciliationId: row.reconciliation.id,
    bindingId: row.reconciliation.bindingId,
    period: { start: isoDate(row.reconciliation.periodStart), end: isoDate(row.reconciliation.periodEnd) },
  };
}

const money = (p: number | null) => (p === null ? "" : (p / 100).toFixed(2));
/** Cells that a spreadsheet would run as a formula are prefixed (CSV injection). */
const cell = (v: string | number | null) => {
  let s = v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Every row of one reconciliation as CSV; AppError(not_found) when it is not this tenant's. */
export async function reconciliationCsv(tenantId: string, reconciliationId: string): Promise<{ filename: string; body: string }> {
  const rec = await db().reconciliation.findFirst({ where: { id: reconciliationId, tenantId } });
  if (!rec) throw new AppError("not_found", "No such reconciliation.");
  const { rows } = await reconciliationRows(tenantId, reconciliationId, null, undefined);
  const head = [
    "date",
    "document_type",
    "magento_increment_id",
    "magento_entity_id",
    "currency",
    "magento_amount",
    "sage_amount",
    "difference",
    "class",
    "reason",
    "sage_document",
    "sage_reference",
    "sage_status",
    "sage_id",
    "run_id",
  ];
  const lines = rows.map((r) =>
    [
      r.documentDate,
      r.documentType,
      r.magentoIncrementId,
      r.magentoEntityId,
      r.currency,
      money(r.magentoPence),
      money(r.sagePence),
      money(r.differencePence),
      r.class,
      r.reason,
      r.sageReference,
      r.sageDocReference,
      r.sageStatus,
      r.sageId,
      r.runId,
    ]
      .map(cell)
      .join(","),
  );
  const v = view(rec);
  return { filename: `reconciliation-${v.period.start}-to-${v.period.end}.csv`, body: [head.join(","), ...lines].join("\r\n") + "\r\n" };
}

import Link from "next/link";
import { StackedBarChart, type ChartSeries } from "@/components/charts/stacked-bar-chart";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatDifference, formatPence } from "@/lib/reconciliation/format";
import type { ReconciliationView } from "@/lib/reconciliation/queries";
import { DOCUMENT_LABEL, ROW_CLASSES, CLASS_LABEL, type RowClass } from "@/lib/reconciliation/vocabulary";
import { ProgressBar } from "@/components/ui/progress-bar";

/** Server-rendered pieces of the reconciliation page: progress, totals, the per-day chart and the class toggles. */

export function ReconciliationProgress({ rec }: { rec: ReconciliationView }) {
  return (
    <section
      aria-label="Reconciliation progress"
      className="rounded-xl border border-line bg-surface p-4"
      data-reconciliation-status={rec.status}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{rec.status === "queued" ? "Waiting to start…" : (rec.progressNote ?? "Reconciling…")}</span>
        <span className="text-muted">
          {rec.sageCalls} Sage request{rec.sageCalls === 1 ? "" : "s"} so far · started <RelativeTime iso={rec.createdAt} />
        </span>
      </div>
      <ProgressBar value={rec.progress} max={100} label="Reconciliation progress" />
    </section>
  );
}

export function TotalsTable({ rec }: { rec: ReconciliationView }) {
  const t = rec.totals;
  if (!t || t.byCurrency.length === 0) return null;
  const lines = [
    ...t.byCurrency.map((l) => ({ ...l, key: `${l.currency}-${l.documentType}`, base: false, unconverted: 0 })),
    ...t.base.map((l) => ({ ...l, key: `base-${l.documentType}`, base: true })),
  ];
  return (
    <div className="overflow-x-auto rounded-xl border border-line bg-surface">
      <table className="w-full text-sm" aria-label="Totals">
        <caption className="sr-only">Totals per currency and in base currency</caption>
        <thead className="bg-surface-2 text-left text-xs text-muted">
          <tr>
            <th className="px-3 py-2">Currency</th>
            <th className="px-3 py-2">Documents</th>
            <th className="px-3 py-2 text-right">Magento</th>
            <th className="px-3 py-2 text-right">Sage</th>
            <th className="px-3 py-2 text-right">Difference</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.key} className="border-t border-line" data-total={l.key}>
              <td className="px-3 py-2">
                {l.currency}
                {l.base ? <span className="ml-1 text-xs text-muted">base</span> : null}
              </td>
              <td className="px-3 py-2">
                {l.documents} {DOCUMENT_LABEL[l.documentType].toLowerCase()}
                {l.documents === 1 ? "" : "s"}
                {l.unconverted ? <span className="ml-1 text-xs text-muted">({l.unconverted} without a rate)</span> : null}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatPence(l.magentoPence, l.currency)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatPence(l.sagePence, l.currency)}</td>
              <td className={`px-3 py-2 text-right tabular-nums ${l.differencePence ? "font-medium text-bad" : "text-ok"}`}>
                {formatDifference(l.differencePence, l.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SERIES: ChartSeries[] = [
  { key: "matched", label: "Matched", fill: "fill-ok", swatch: "bg-ok" },
  { key: "other", label: "Not matched", fill: "fill-bad", swatch: "bg-bad" },
];

export function DailyChart({ days }: { days: { date: string; matched: number; other: number }[] }) {
  if (days.length < 2) return null;
  return (
    <section className="rounded-xl border border-line bg-surface p-4" aria-label="Matched per day">
      <h2 className="mb-2 text-sm font-medium">Matched vs not, per day</h2>
      <StackedBarChart
        id="reconciliation-days"
        title="Documents matched and not matched per day"
        series={SERIES}
        columns={days.map((d) => ({
          label: d.date,
          tick: String(Number(d.date.slice(8))),
          values: { matched: d.matched, other: d.other },
        }))}
        emptyText="No documents in this period"
      />
    </section>
  );
}

export function ClassToggles({
  counts,
  active,
  href,
}: {
  counts: Record<RowClass, number>;
  active: RowClass | null;
  href: (cls: RowClass | null) => string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Result">
      {ROW_CLASSES.map((c) => {
        const on = active === c;
        return (
          <Link
            key={c}
            href={href(on ? null : c)}
            aria-pressed={on}
            data-class-toggle={c}
            className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium ${on ? "border-accent bg-accent/10 text-ink" : "border-line text-muted hover:bg-surface-2"}`}
          >
            {CLASS_LABEL[c]} <span className="tabular-nums">{(counts[c] ?? 0).toLocaleString("en-GB")}</span>
          </Link>
        );
      })}
    </div>
  );
}

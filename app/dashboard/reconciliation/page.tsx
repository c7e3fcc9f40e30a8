import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { sageUiBase } from "@/lib/history/detail";
import {
  loadReconciliationParams,
  periodFromParams,
  serializeReconciliationParams,
  type ReconciliationParams,
} from "@/lib/reconciliation/period";
import { dailyCounts, findReconciliation, PAGE_ROWS, reconciliationRows, recentReconciliations } from "@/lib/reconciliation/queries";
import { CLASS_LABEL, type RowClass } from "@/lib/reconciliation/vocabulary";
import { LiveRefresh } from "../sync/live-refresh";
import { startReconciliationAction } from "./actions";
import { PeriodPicker } from "./period-picker";
import { RowsTable } from "./rows-table";
import { RunNow } from "./run-now";
import { ClassToggles, DailyChart, ReconciliationProgress, TotalsTable } from "./summary";

export const metadata: Metadata = { title: "Reconciliation" };

const PATH = "/dashboard/reconciliation";

/**
 * Does Sage hold what Magento sent? One binding and period at a time, from stored results (the page
 * never calls Sage): totals Magento vs Sage, the rows by class, earlier results, and "Run now".
 */
export default async function ReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = await requireTenantContext("read", PATH);
  const q = loadReconciliationParams(await searchParams);
  const bindings = (await listBindingSummaries(ctx.tenant.id)).filter((b) => b.status === "active" && b.sage);
  if (bindings.length === 0) {
    return (
      <div className="space-y-5">
        <h1 className="text-2xl font-semibold">Reconciliation</h1>
        <EmptyState title="Nothing to reconcile yet" action={{ href: "/dashboard/bindings", label: "Connect a store to Sage" }}>
          Reconciliation compares what Magento sent with what Sage holds. Connect a Magento store and a Sage business first.
        </EmptyState>
      </div>
    );
  }
  const binding = bindings.find((b) => b.id === q.binding) ?? bindings[0];
  const period = periodFromParams(q);
  const rec = await findReconciliation(ctx.tenant.id, binding.id, period, q.run);
  const shown = rec ? rec.period : period;
  const [rows, days, recent] = await Promise.all([
    rec?.status === "succeeded" ? reconciliationRows(ctx.tenant.id, rec.id, q.class) : null,
    rec?.status === "succeeded" ? dailyCounts(ctx.tenant.id, rec) : [],
    recentReconciliations(ctx.tenant.id, binding.id),
  ]);
  const href = (over: Partial<ReconciliationParams>) => serializeReconciliationParams(PATH, { ...q, binding: binding.id, ...over });
  const mayRun = can(ctx.role, "reconcile");
  const runNow = mayRun ? <RunNow action={startReconciliationAction} bindingId={binding.id} start={shown.start} end={shown.end} /> : null;
  const live = rec && (rec.status === "queued" || rec.status === "running");

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Reconciliation</h1>
          <p className="text-muted">
            Every invoice, credit memo and payment Magento sent for {binding.magento.baseUrl}, against what {binding.sage?.businessName}{" "}
            holds in Sage.
          </p>
        </div>
        {rec ? runNow : null}
      </header>
      <PeriodPicker
        bindings={bindings.map((b) => ({ id: b.id, label: `${b.magento.baseUrl} → ${b.sage?.businessName}` }))}
        bindingId={binding.id}
        period={shown}
      />

      {!rec ? (
        <EmptyState title="This period has not been reconciled yet" action={runNow} data-testid="reconciliation-empty">
          {mayRun
            ? "Run it now: Ledger reads Sage's lists for the period and compares every document, usually within a minute."
            : "An operator can run it; a daily run also covers each previous day."}
        </EmptyState>
      ) : live ? (
        <ReconciliationProgress rec={rec} />
      ) : rec.status === "failed" ? (
        <Alert tone="error">
          The last reconciliation of this period could not finish: {rec.errorMessage ?? "unknown error"}. Run it again; Sage may have been
          busy.
        </Alert>
      ) : (
        <>
          <Alert tone={rec.differences ? "warning" : "success"} data-testid="reconciliation-verdict">
            {rec.differences
              ? `${rec.differences} document${rec.differences === 1 ? "" : "s"} need${rec.differences === 1 ? "s" : ""} a look.`
              : "Magento and Sage agree for this period."}{" "}
            Checked <RelativeTime iso={rec.finishedAt ?? rec.createdAt} /> with {rec.sageCalls} Sage request{rec.sageCalls === 1 ? "" : "s"}
            .{" "}
            <a className="underline" href={`/api/tenants/${ctx.tenant.id}/reconciliations/${rec.id}/csv`} download>
              Download CSV
            </a>
          </Alert>
          <TotalsTable rec={rec} />
          <DailyChart days={days} />
          {rec.counts ? (
            <ClassToggles counts={rec.counts} active={q.class} href={(c: RowClass | null) => href({ class: c, run: rec.id })} />
          ) : null}
          {rows && rows.rows.length ? (
            <>
              <RowsTable rows={rows.rows} sageBase={sageUiBase()} highlight={q.row} />
              {rows.total > rows.rows.length ? (
                <p className="text-sm text-muted">
                  Showing the first {PAGE_ROWS.toLocaleString("en-GB")} of {rows.total.toLocaleString("en-GB")}; filter by result or
                  download the CSV for all.
                </p>
              ) : null}
            </>
          ) : (
            <EmptyState
              title={q.class ? `No "${CLASS_LABEL[q.class]}" documents` : "No documents in this period"}
              action={q.class ? { href: href({ class: null, run: rec.id }), label: "Show all results" } : undefined}
            >
              {q.class ? "Pick another result above." : "Magento sent no invoices, credit memos or payments dated in this period."}
            </EmptyState>
          )}
        </>
      )}

      {recent.length > 1 ? (
        <section aria-label="Earlier results" className="text-sm">
          <h2 className="mb-2 font-medium">Earlier results</h2>
          <ul className="space-y-1">
            {recent.map((r) => (
              <li key={r.id}>
                <Link
                  href={serializeReconciliationParams(PATH, {
                    binding: binding.id,
                    period: "custom",
                    from: r.period.start,
                    to: r.period.end,
                    run: r.id,
                  })}
                  className={`underline-offset-2 hover:underline ${r.id === rec?.id ? "font-medium" : "text-muted"}`}
                >
                  {r.period.start === r.period.end ? r.period.start : `${r.period.start} → ${r.period.end}`}
                </Link>{" "}
                <span className="text-muted">
                  · {r.status === "succeeded" ? (r.differences ? `${r.differences} to look at` : "all matched") : r.status} · {r.trigger} ·{" "}
                  <RelativeTime iso={r.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {live ? <LiveRefresh everyMs={1500} /> : null}
    </div>
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { runUrl } from "@/lib/history/links";
import { formatDifference, formatPence, reasonText } from "@/lib/reconciliation/format";
import type { RowView } from "@/lib/reconciliation/queries";
import { CLASS_HELP, CLASS_LABEL, DOCUMENT_LABEL, type RowClass } from "@/lib/reconciliation/vocabulary";

/**
 * The reconciliation's rows in the one DataTable: Magento's document and amount, Sage's document,
 * amount and status, the difference and the class with its reason. Enter (or a click) opens the run
 * that posted the row; "View in Sage" opens the document there.
 */

const TONE: Record<RowClass, string> = {
  matched: "bg-ok-soft text-ok",
  amount_differs: "bg-bad-soft text-bad",
  missing_in_sage: "bg-info-soft text-info",
  changed_in_sage: "bg-warn-soft text-warn",
  not_from_ledger: "bg-none-soft text-ink",
};
const SAGE_KIND = { invoice: "sales_invoices", creditmemo: "sales_credit_notes", payment: "contact_payments" } as const;

export function ClassBadge({ cls }: { cls: RowClass }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${TONE[cls]}`} title={CLASS_HELP[cls]} data-class={cls}>
      {CLASS_LABEL[cls]}
    </span>
  );
}

export function RowsTable({ rows, sageBase, highlight }: { rows: RowView[]; sageBase: string | null; highlight?: string | null }) {
  const router = useRouter();
  const open = useCallback(
    (id: string) => {
      const r = rows.find((x) => x.id === id);
      if (r?.runId) router.push(runUrl(r.runId));
    },
    [rows, router],
  );
  const sageUrl = (r: RowView) =>
    sageBase && r.sageId && r.sageStatus !== "DELETED"
      ? `${sageBase}/ui/${SAGE_KIND[r.documentType]}/${encodeURIComponent(r.sageId)}`
      : null;
  const columns: DataColumn<RowView>[] = [
    {
      id: "date",
      header: "Date",
      hideOnPhone: true,
      phoneLabel: "Date",
      cell: ({ row: { original: r } }) => <span className="tabular-nums">{r.documentDate}</span>,
    },
    {
      id: "magento",
      header: "Magento document",
      phoneHost: true,
      cell: ({ row: { original: r } }) =>
        r.magentoIncrementId ? (
          <span>
            {DOCUMENT_LABEL[r.documentType]} #{r.magentoIncrementId}
            {r.runId ? (
              <>
                {" · "}
                <Link
                  href={runUrl(r.runId)}
                  className="text-accent underline-offset-2 hover:underline"
                  onClick={(e) => e.stopPropagation()}
                >
                  Run
                </Link>
              </>
            ) : null}
          </span>
        ) : (
          <span className="text-muted">— not from Magento</span>
        ),
    },
    {
      id: "magentoAmount",
      header: "Magento",
      hideOnPhone: true,
      phoneLabel: "Magento",
      className: "text-right tabular-nums",
      cell: ({ row: { original: r } }) => formatPence(r.magentoPence, r.currency),
    },
    {
      id: "sage",
      header: "Sage document",
      hideOnPhone: true,
      phoneLabel: "Sage document",
      cell: ({ row: { original: r } }) => {
        const url = sageUrl(r);
        const label = [r.sageReference, r.sageStatus ? r.sageStatus.toLowerCase().replace(/_/g, " ") : null].filter(Boolean).join(" · ");
        return (
          <span>
            {label || <span className="text-muted">—</span>}
            {url ? (
              <>
                {" "}
                <a
                  href={url}
                  target="_blank"
                  rel="noreferrer"
                  className="text-accent underline-offset-2 hover:underline"
                  onClick={(e) => e.stopPropagation()}
                >
                  View in Sage
                </a>
              </>
            ) : null}
          </span>
        );
      },
    },
    {
      id: "sageAmount",
      header: "Sage",
      hideOnPhone: true,
      phoneLabel: "Sage",
      className: "text-right tabular-nums",
      cell: ({ row: { original: r } }) => formatPence(r.sagePence, r.currency),
    },
    {
      id: "difference",
      header: "Difference",
      className: "text-right tabular-nums",
      cell: ({ row: { original: r } }) => (
        <span className={r.differencePence ? "font-medium text-bad" : ""}>{formatDifference(r.differencePence, r.currency)}</span>
      ),
    },
    {
      id: "class",
      header: "Result",
      cell: ({ row: { original: r } }) => (
        <span className="flex flex-col gap-0.5">
          <ClassBadge cls={r.class} />
          {r.reason ? (
            <span className="text-xs text-muted" title={r.reasonDetail ?? undefined}>
              {reasonText(r.reason)}
            </span>
          ) : null}
        </span>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(r) => r.id}
      caption="Reconciliation rows"
      onOpen={open}
      selectedId={highlight ?? undefined}
      rowAttributes={(r) => ({
        "data-row-class": r.class,
        "data-recon-row": r.id,
        "aria-label": `${DOCUMENT_LABEL[r.documentType]} ${r.magentoIncrementId ?? r.sageReference ?? ""}: ${CLASS_LABEL[r.class]}`,
      })}
    />
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { PaymentState } from "./payment-state";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { SortHeader } from "@/components/data-table/sort-header";
import { StatusChip } from "@/components/status-chip";
import { RelativeTime } from "@/components/ui/relative-time";
import { entityRunsUrl, runUrl, sageDocumentUrl } from "@/lib/history/links";
import type { DocumentKind, DocumentRow } from "@/lib/status-views/documents";
import { statusViewHref, type DocSort, type StatusViewParams } from "@/lib/status-views/params";

/**
 * Invoices or credit memos as Magento's grid shows them, in the one DataTable: Enter (or a click)
 * opens the run that decided the chip, or the document's runs when none did.
 */

export const DOCUMENT_EVENT: Record<DocumentKind, string> = { invoice: "invoice.created", creditmemo: "creditmemo.created" };

function money(total: string | null, currency: string | null): string {
  if (total === null) return "—";
  const n = Number(total);
  if (!Number.isFinite(n) || !currency) return `${total} ${currency ?? ""}`.trim();
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(n);
  } catch {
    return `${total} ${currency}`;
  }
}

const rowId = (r: DocumentRow) => `${r.bindingId}:${r.entityId}`;

export function DocumentsTable({
  kind,
  path,
  caption,
  rows,
  p,
  sageBase,
}: {
  kind: DocumentKind;
  path: string;
  caption: string;
  rows: DocumentRow[];
  p: StatusViewParams;
  sageBase: string | null;
}) {
  const router = useRouter();
  const open = useCallback(
    (id: string) => {
      const r = rows.find((x) => rowId(x) === id);
      if (r) router.push(r.runId ? runUrl(r.runId) : entityRunsUrl(kind, r.entityId));
    },
    [rows, kind, router],
  );
  const sort = (label: string, key: DocSort) => (
    <SortHeader
      label={label}
      active={p.sort === key}
      dir={p.dir}
      href={statusViewHref(path, p, { sort: key, dir: p.sort === key && p.dir === "desc" ? "asc" : "desc", after: undefined })}
    />
  );

  const columns: DataColumn<DocumentRow>[] = [
    {
      id: "document",
      header: () => sort(kind === "invoice" ? "Invoice" : "Credit memo", "increment"),
      cell: ({ row: { original: r } }) => (
        <>
          <span className="font-medium">{r.incrementId ?? `#${r.entityId}`}</span>
          {r.orderIncrementId ? <span className="block text-xs text-muted">order {r.orderIncrementId}</span> : null}
        </>
      ),
    },
    {
      id: "customer",
      hideOnPhone: true,
      header: () => sort("Customer", "customer"),
      cell: ({ row: { original: r } }) => (
        <>
          {r.customerName ?? "—"}
          {r.customerEmail ? <span className="block text-xs text-muted">{r.customerEmail}</span> : null}
        </>
      ),
    },
    {
      id: "total",
      className: "text-right",
      header: () => sort("Total", "total"),
      cell: ({ row: { original: r } }) => <span className="tabular-nums">{money(r.total, r.currency)}</span>,
    },
    {
      id: "status",
      header: () => sort("Status", "chip"),
      cell: ({ row: { original: r } }) => (
        <>
          <StatusChip
            variant={r.chip}
            href={r.runId ? runUrl(r.runId) : null}
            reference={r.providerReference}
            sageId={r.providerEntityId}
            since={r.since}
            reasonCode={r.reasonCode}
            errorClass={r.errorClass}
            message={r.errorMessage}
            note={r.paymentFailed ? "The payment run failed (the invoice itself may be in Sage)." : null}
          />
          {kind === "invoice" ? <PaymentState row={r} /> : null}
        </>
      ),
    },
    {
      id: "reference",
      hideOnPhone: true,
      phoneLabel: "Sage",
      header: "Sage reference",
      cell: ({ row: { original: r } }) => {
        if (!r.providerReference) return <span className="text-muted">—</span>;
        const doc = sageDocumentUrl(sageBase, r.runEvent ?? DOCUMENT_EVENT[kind], r.providerEntityId);
        if (doc) {
          return (
            <a href={doc} target="_blank" rel="noreferrer" className="text-accent hover:underline">
              {r.providerReference}
            </a>
          );
        }
        return r.runId ? (
          <Link href={runUrl(r.runId)} className="text-accent hover:underline">
            {r.providerReference}
          </Link>
        ) : (
          r.providerReference
        );
      },
    },
    {
      // The link to every run of the document sits under its last activity, not in a column of its
      // own: at laptop widths a seventh column pushed the table past its card.
      id: "recent",
      hideOnPhone: true,
      phoneLabel: "Last activity",
      header: () => sort("Last activity", "recent"),
      cell: ({ row: { original: r } }) => (
        <div className="flex flex-col items-start gap-0.5">
          <RelativeTime iso={r.lastAt} className="text-muted" />
          <Link href={entityRunsUrl(kind, r.entityId)} className="text-xs text-accent hover:underline">
            Runs →
          </Link>
        </div>
      ),
    },
  ];

  return (
    <DataTable
      caption={caption}
      columns={columns}
      data={rows}
      getRowId={rowId}
      onOpen={open}
      rowAttributes={(r) => ({ "data-entity-id": r.entityId })}
    />
  );
}

"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { StatusChip } from "@/components/status-chip";
import { entityRunsUrl, runUrl } from "@/lib/history/links";
import type { CustomerRow } from "@/lib/status-views/customers";

/** Customers with their per-currency Sage contacts, in the one DataTable; Enter (or a click) opens a customer's runs. */

const rowId = (c: CustomerRow) => `${c.magentoConnectionId}:${c.key}`;

const columns: DataColumn<CustomerRow>[] = [
  {
    id: "customer",
    header: "Customer",
    cell: ({ row: { original: c } }) => (
      <>
        <span className="font-medium">{c.name ?? (c.entityId === null ? "Guest" : `Customer #${c.entityId}`)}</span>
        <span className="block text-xs text-muted">
          {c.entityId === null ? "guest checkout" : `#${c.entityId}`}
          {c.email ? ` · ${c.email}` : ""}
        </span>
      </>
    ),
  },
  {
    id: "last-sync",
    header: "Last sync",
    cell: ({ row: { original: c } }) => (
      <StatusChip
        variant={c.chip}
        href={c.runId ? runUrl(c.runId) : null}
        reference={c.providerReference}
        sageId={c.providerEntityId}
        since={c.since}
        reasonCode={c.reasonCode}
        errorClass={c.errorClass}
        message={c.errorMessage}
      />
    ),
  },
  {
    id: "contacts",
    hideOnPhone: true,
    phoneLabel: "Sage contacts",
    header: "Sage contacts",
    cell: ({ row: { original: c } }) =>
      c.contacts.length ? (
        <ul className="space-y-0.5">
          {c.contacts.map((x) => (
            <li key={x.currency || x.sageId} className="flex gap-2">
              <span className="w-10 font-mono text-xs text-muted">{x.currency || "—"}</span>
              <span className="font-medium">{x.reference ?? "—"}</span>
              <span className="truncate text-xs text-muted" title={x.sageId}>
                {x.displayedAs ?? x.sageId}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-muted">No Sage contact yet</span>
      ),
  },
  {
    id: "runs",
    hideOnPhone: true,
    className: "text-right",
    header: () => <span className="sr-only">Runs</span>,
    cell: ({ row: { original: c } }) =>
      c.entityId !== null ? (
        <Link href={entityRunsUrl("customer", c.entityId)} className="text-xs text-accent hover:underline">
          Runs →
        </Link>
      ) : null,
  },
];

export function CustomersTable({ rows }: { rows: CustomerRow[] }) {
  const router = useRouter();
  const open = useCallback(
    (id: string) => {
      const c = rows.find((x) => rowId(x) === id);
      if (c?.entityId != null) router.push(entityRunsUrl("customer", c.entityId));
      else if (c?.runId) router.push(runUrl(c.runId));
    },
    [rows, router],
  );
  return (
    <DataTable
      caption="Customers"
      columns={columns}
      data={rows}
      getRowId={rowId}
      onOpen={open}
      rowAttributes={(c) => ({ "data-customer": c.key })}
    />
  );
}

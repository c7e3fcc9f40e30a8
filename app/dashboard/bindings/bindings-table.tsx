"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { HealthDot } from "@/components/charts/health-dot";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { buttonClass } from "@/components/ui/button";
import type { HealthVerdict } from "@/lib/health/rules";
import { DEFAULT_FILTER } from "@/lib/history/filter";
import { historyHref } from "@/lib/history/href";

/** The workspace's bindings in the one DataTable: Enter (or a click) opens the binding. */

export interface BindingListRow {
  id: string;
  title: string;
  status: string;
  verdict: HealthVerdict | null;
}

const STATUS_TEXT: Record<string, string> = { active: "Active", pending_sage: "Waiting for Sage", revoked: "Disconnected" };
const bindingPath = (id: string) => `/dashboard/bindings/${id}`;

const columns: DataColumn<BindingListRow>[] = [
  {
    id: "binding",
    header: "Binding",
    className: "w-full",
    cell: ({ row: { original: b } }) => (
      <>
        <Link href={bindingPath(b.id)} className="font-medium hover:underline">
          {b.title}
        </Link>
        <div className="text-xs text-muted">{STATUS_TEXT[b.status] ?? b.status}</div>
      </>
    ),
  },
  { id: "health", header: "Health", cell: ({ row: { original: b } }) => (b.verdict ? <HealthDot verdict={b.verdict} /> : null) },
  {
    id: "actions",
    hideOnPhone: true,
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row: { original: b } }) => (
      <div className="flex flex-wrap gap-2 md:justify-end">
        <Link href={`${bindingPath(b.id)}/settings`} className={buttonClass("secondary")}>
          Settings
        </Link>
        <Link href={historyHref({ ...DEFAULT_FILTER, binding: b.id })} className={buttonClass("secondary")}>
          Sync history
        </Link>
      </div>
    ),
  },
];

export function BindingsTable({ rows }: { rows: BindingListRow[] }) {
  const router = useRouter();
  const open = useCallback((id: string) => router.push(bindingPath(id)), [router]);
  return (
    <DataTable
      caption="Bindings"
      columns={columns}
      data={rows}
      getRowId={(b) => b.id}
      onOpen={open}
      rowAttributes={(b) => ({ "aria-label": b.title })}
    />
  );
}

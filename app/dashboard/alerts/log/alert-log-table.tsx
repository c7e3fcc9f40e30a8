"use client";

import Link from "next/link";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AlertLogRow } from "@/lib/notifications/log";

/** The alert log in the one DataTable: when, what, to whom, how, and whether it arrived. */

// Delivery outcomes, in the chip's theme tones (the run status chip's words are about Sage, not alerts).
const STATUS: Record<AlertLogRow["status"], { label: string; tone: string }> = {
  sent: { label: "Delivered", tone: "bg-ok-soft text-ok" },
  pending: { label: "Retrying", tone: "bg-info-soft text-info" },
  failed: { label: "Failed", tone: "bg-bad-soft text-bad" },
  off: { label: "Email off", tone: "bg-none-soft text-none" },
};

const columns: DataColumn<AlertLogRow>[] = [
  {
    id: "when",
    header: "When",
    hideOnPhone: true,
    phoneLabel: "When",
    cell: ({ row: { original: r } }) => <RelativeTime iso={r.createdAt} className="whitespace-nowrap" />,
  },
  {
    id: "what",
    header: "Alert",
    phoneHost: true,
    cell: ({ row: { original: r } }) => (
      <>
        <Link href={r.link} className="font-medium underline-offset-2 hover:underline">
          {r.title}
          {r.kind === "test" ? "" : ` (${r.count})`}
        </Link>
        {r.firstItem ? <span className="block max-w-[45vw] truncate text-xs text-muted md:max-w-md">{r.firstItem}</span> : null}
      </>
    ),
  },
  {
    id: "channel",
    header: "Channel",
    hideOnPhone: true,
    phoneLabel: "Channel",
    cell: ({ row: { original: r } }) => (r.channel === "email" ? "Email" : "Webhook"),
  },
  {
    id: "to",
    header: "To",
    hideOnPhone: true,
    phoneLabel: "To",
    cell: ({ row: { original: r } }) => <span className="text-muted">{r.recipient}</span>,
  },
  {
    id: "status",
    header: "Delivery",
    cell: ({ row: { original: r } }) => {
      const look = STATUS[r.status];
      // "Email off" says it all (the page's banner says why); otherwise how many tries, or the last error.
      const why =
        r.status === "sent" ? `after ${r.attempts} ${r.attempts === 1 ? "try" : "tries"}` : r.status === "off" ? "" : (r.lastError ?? "");
      return (
        <span className="inline-flex flex-col">
          <span className={`inline-flex w-fit rounded-full px-2 py-0.5 text-xs font-medium ${look.tone}`} data-status={r.status}>
            {look.label}
          </span>
          {why ? (
            <span className="mt-0.5 max-w-[30vw] truncate text-xs text-muted md:max-w-xs" title={why}>
              {why}
            </span>
          ) : null}
        </span>
      );
    },
  },
];

export function AlertLogTable({ rows }: { rows: AlertLogRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(r) => r.id}
      caption="Alerts sent"
      rowAttributes={(r) => ({
        "data-kind": r.kind,
        "data-channel": r.channel,
        "aria-label": `${r.title} by ${r.channel} to ${r.recipient}: ${STATUS[r.status].label}`,
      })}
    />
  );
}

"use client";

import { useCallback, useEffect } from "react";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { SortHeader } from "@/components/data-table/sort-header";
import { StatusChip } from "@/components/status-chip";
import { RelativeTime } from "@/components/ui/relative-time";
import type { HistoryFilter, SortKey } from "@/lib/history/filter";
import { attemptsText, formatDuration } from "@/lib/history/format";
import { historyHref } from "@/lib/history/href";
import { sageDocumentUrl } from "@/lib/history/links";
import type { HistoryRow } from "@/lib/history/query";
import { FixHint } from "@/components/ui/fix-hint";
import { chipForStatus, codeMeaning } from "@/lib/status-views/vocabulary";
import { useHistoryUrl } from "./use-history-url";

/**
 * The history table: DataTable's keyboard navigation (j/k move, Enter opens the run drawer) plus "/"
 * to jump to the entity search.
 */

function isTyping(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName));
}

export function RunsTable({ rows, sageBase }: { rows: HistoryRow[]; sageBase: string | null }) {
  const { filter: f, view, openRun: open } = useHistoryUrl();
  const runHref = useCallback((id: string) => historyHref(f, { ...view, run: id }), [f, view]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "/" && !e.metaKey && !e.ctrlKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        document.getElementById("history-search")?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const sortHeader = (label: string, key: SortKey) => {
    const active = f.sort === key;
    const next: HistoryFilter = { ...f, sort: key, dir: active && f.dir === "desc" ? "asc" : "desc" };
    return <SortHeader label={label} active={active} dir={f.dir} href={historyHref(next, { run: view.run })} />;
  };

  const columns: DataColumn<HistoryRow>[] = [
    {
      id: "time",
      header: () => sortHeader("Time", "time"),
      cell: ({ row }) => <RelativeTime iso={row.original.createdAt} className="text-muted md:whitespace-nowrap" />,
    },
    {
      id: "event",
      hideOnPhone: true,
      header: () => sortHeader("Event", "event"),
      cell: ({ row }) => <code className="text-xs">{row.original.event}</code>,
    },
    {
      id: "entity",
      phoneHost: true,
      header: "Entity",
      cell: ({ row }) => (
        <span className="md:whitespace-nowrap">
          {row.original.entityType} #{row.original.magentoEntityId}
          {row.original.magentoIncrementId ? <span className="ml-1 text-muted">· {row.original.magentoIncrementId}</span> : null}
        </span>
      ),
    },
    {
      id: "status",
      header: () => sortHeader("Status", "status"),
      cell: ({ row }) => {
        const r = row.original;
        return (
          <span className="inline-flex flex-wrap items-center gap-1.5">
            <StatusChip
              variant={chipForStatus(r.status)}
              href={runHref(r.id)}
              reference={r.providerReference}
              sageId={r.providerEntityId}
              since={r.updatedAt}
              reasonCode={r.reasonCode}
              errorClass={r.errorClass}
              message={r.errorMessage}
            />
            {r.warnings.length ? (
              <span
                data-testid="run-warning"
                className="whitespace-nowrap rounded-full bg-warn-soft px-2 py-0.5 text-xs text-warn"
                title={r.warnings.map((w) => `${w}: ${codeMeaning(w) ?? ""}`).join("\n")}
              >
                ⚠{" "}
                {r.warnings.includes("total_mismatch")
                  ? "Totals differ"
                  : r.warnings.length === 1
                    ? "Warning"
                    : `${r.warnings.length} warnings`}
              </span>
            ) : null}
          </span>
        );
      },
    },
    {
      // Issue 17: the reason is a column, not only a tooltip; its fix is one click away.
      id: "reason",
      hideOnPhone: true,
      phoneLabel: "Why",
      // A synced run has no reason: no empty "Why:" under it on a phone.
      phoneSkip: (r) => !r.reasonCode && !r.errorClass,
      header: "Reason",
      cell: ({ row: { original: r } }) =>
        r.reasonCode || r.errorClass ? (
          <FixHint code={r.reasonCode ?? r.errorClass} message={r.errorMessage} bindingId={r.bindingId} compact />
        ) : null,
    },
    {
      id: "reference",
      hideOnPhone: true,
      phoneLabel: "Sage",
      header: "Sage reference",
      cell: ({ row }) => {
        const r = row.original;
        if (!r.providerReference) return <span className="text-muted">—</span>;
        const doc = sageDocumentUrl(sageBase, r.event, r.providerEntityId);
        return doc ? (
          <a href={doc} className="text-accent hover:underline" target="_blank" rel="noreferrer">
            {r.providerReference}
          </a>
        ) : (
          <span>{r.providerReference}</span>
        );
      },
    },
    {
      id: "duration",
      hideOnPhone: true,
      phoneLabel: "Took",
      header: () => sortHeader("Duration", "duration"),
      cell: ({ row }) => <span className="tabular-nums text-muted">{formatDuration(row.original.durationMs)}</span>,
    },
    {
      id: "attempts",
      hideOnPhone: true,
      phoneLabel: "Attempts",
      header: () => sortHeader("Attempts", "attempts"),
      cell: ({ row: { original: r } }) => (
        <span className="whitespace-nowrap tabular-nums" data-attempts={r.attemptCount}>
          {attemptsText(r)}
        </span>
      ),
    },
  ];

  return <DataTable caption="Sync runs" columns={columns} data={rows} getRowId={(r) => r.id} selectedId={view.run} onOpen={open} />;
}

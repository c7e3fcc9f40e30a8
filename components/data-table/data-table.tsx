"use client";

import { tableFeatures, useTable, type ColumnDef, type RowData } from "@tanstack/react-table";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";

/**
 * The one table of the dashboard: dense, headless-table-backed, for server-paged data — sorting,
 * filtering and paging happen on the server (the URL is the state), so the table only renders.
 * Where rows open something (`onOpen`: a run's drawer, a document's runs, a binding) the table is
 * keyboard-driven: j/k move the selection, Enter opens it, a click opens the row; the selection
 * follows the row id, so a live refresh that adds rows above never moves it to another row.
 *
 * On phones (below 768 px, ui.md) a column marked `hideOnPhone` leaves the grid and its content moves
 * into the row, under the first cell (or the `phoneHost` column's), labelled with `phoneLabel`: the key columns stay readable and
 * nothing scrolls sideways. CSS hides those columns before hydration, so the first paint fits too.
 */

export const dataTableFeatures = tableFeatures({});
/**
 * A column; `className` styles its header and cells (alignment, width); `hideOnPhone` moves it into the
 * row on small screens, shown after `phoneLabel` when given.
 */
export type DataColumn<T extends RowData> = ColumnDef<typeof dataTableFeatures, T> & {
  className?: string;
  hideOnPhone?: boolean;
  phoneLabel?: string;
  /** the column whose cell takes the moved columns on phones (default: the first) */
  phoneHost?: boolean;
  /** true for a row this column has nothing to say about: on phones it is left out, not shown as a bare label */
  phoneSkip?: (row: T) => boolean;
};

const PHONE_QUERY = "(max-width: 767px)";
function subscribePhone(onChange: () => void) {
  const mq = window.matchMedia(PHONE_QUERY);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}
/** True below the `md` breakpoint; false on the server (the CSS classes cover the first paint). */
export function useIsPhone(): boolean {
  return useSyncExternalStore(
    subscribePhone,
    () => window.matchMedia(PHONE_QUERY).matches,
    () => false,
  );
}

export interface DataTableProps<T extends RowData> {
  columns: DataColumn<T>[];
  data: T[];
  getRowId: (row: T) => string;
  caption: string;
  /** Opens a row (Enter or click); turns on keyboard navigation. */
  onOpen?: (id: string) => void;
  /** The selected row when the page knows it (e.g. the open drawer's run). */
  selectedId?: string | null;
  /** `data-*` attributes (deep links, tests) and an accessible name for a row. */
  rowAttributes?: (row: T) => { [key: `data-${string}`]: string | number | undefined; "aria-label"?: string };
  empty?: ReactNode;
}

function isTyping(el: EventTarget | null): boolean {
  return el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName));
}

type ColumnExtras = {
  className?: string;
  hideOnPhone?: boolean;
  phoneLabel?: string;
  phoneHost?: boolean;
  phoneSkip?: (row: unknown) => boolean;
};
const extrasOf = (def: unknown) => def as ColumnExtras;
const classOf = (def: unknown) => {
  const x = extrasOf(def);
  return `${x.className ?? ""}${x.hideOnPhone ? " max-md:hidden" : ""}`;
};

export function DataTable<T extends RowData>({
  columns,
  data,
  getRowId,
  caption,
  onOpen,
  selectedId,
  rowAttributes,
  empty,
}: DataTableProps<T>) {
  const table = useTable({ features: dataTableFeatures, columns, data, getRowId: (row) => getRowId(row) });
  const rows = table.getRowModel().rows;
  const phone = useIsPhone();
  const [selected, setSelected] = useState<string | null>(selectedId ?? rows[0]?.id ?? null);
  // Keep a selection that still exists; fall back to the first row when it disappears from the page.
  const current = onOpen ? (rows.some((r) => r.id === selected) ? selected : (rows[0]?.id ?? null)) : null;

  useEffect(() => {
    if (!onOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      // Keys typed inside an open drawer or dialog belong to it.
      if (document.querySelector("[data-drawer-open]")?.contains(e.target as Node)) return;
      const i = rows.findIndex((r) => r.id === current);
      if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        const next = rows[Math.min(rows.length - 1, Math.max(0, i + (e.key === "j" ? 1 : -1)))];
        if (next) {
          setSelected(next.id);
          const el = document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(next.id)}"]`);
          el?.focus({ preventScroll: true });
          el?.scrollIntoView({ block: "nearest" });
        }
      } else if (e.key === "Enter" && current && !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        onOpen(current);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, current, onOpen]);

  return (
    <div className="overflow-x-auto rounded-xl border border-line bg-surface" data-table-scroll>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line text-left text-xs text-muted">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) =>
                phone && extrasOf(header.column.columnDef).hideOnPhone ? null : (
                  <th
                    key={header.id}
                    scope="col"
                    className={`whitespace-nowrap px-2 py-2 font-medium md:px-3 ${classOf(header.column.columnDef)}`}
                  >
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ),
              )}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => {
            const isSelected = row.id === current;
            return (
              <tr
                key={row.id}
                data-row-id={row.id}
                {...rowAttributes?.(row.original)}
                aria-selected={onOpen ? isSelected : undefined}
                tabIndex={onOpen ? (isSelected ? 0 : -1) : undefined}
                onClick={
                  onOpen
                    ? (e) => {
                        // Links and controls inside a row keep their own behaviour.
                        if ((e.target as HTMLElement).closest("a,button,select,input,label")) return;
                        setSelected(row.id);
                        onOpen(row.id);
                      }
                    : undefined
                }
                className={`border-b border-line last:border-0 outline-none ${onOpen ? `cursor-pointer ${isSelected ? "bg-accent/10" : "hover:bg-surface-2"}` : ""}`}
              >
                {row.getAllCells().map((cell, i, cells) => {
                  const moved = phone && extrasOf(cell.column.columnDef).hideOnPhone;
                  if (moved) return null;
                  const host = Math.max(
                    0,
                    cells.findIndex((c) => extrasOf(c.column.columnDef).phoneHost),
                  );
                  const folded =
                    phone && i === host
                      ? cells.filter((c) => {
                          const x = extrasOf(c.column.columnDef);
                          return x.hideOnPhone && !x.phoneSkip?.(c.row.original);
                        })
                      : [];
                  return (
                    <td key={cell.id} className={`px-2 py-2 align-top md:px-3 ${classOf(cell.column.columnDef)}`}>
                      <table.FlexRender cell={cell} />
                      {folded.length ? (
                        <dl className="mt-1 space-y-0.5 text-xs text-muted" data-phone-details>
                          {folded.map((c) => (
                            <div key={c.id} className="flex min-w-0 flex-wrap items-baseline gap-x-1.5">
                              {extrasOf(c.column.columnDef).phoneLabel ? <dt>{extrasOf(c.column.columnDef).phoneLabel}:</dt> : null}
                              <dd className="min-w-0 break-words">
                                <table.FlexRender cell={c} />
                              </dd>
                            </div>
                          ))}
                        </dl>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.length === 0 && empty ? <div className="p-8">{empty}</div> : null}
    </div>
  );
}

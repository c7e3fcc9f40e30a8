"use client";

import { tableFeatures, useTable, type ColumnDef, type RowData } from "@tanstack/react-table";
import type { ReactNode } from "react";

/**
 * A dense, headless-table-backed grid for server-paged data: sorting, filtering and paging happen on
 * the server (the URL is the state), so the table only renders. Rows can be selected (keyboard
 * navigation lives in the page) and opened.
 */

export const dataTableFeatures = tableFeatures({});
export type DataColumn<T extends RowData> = ColumnDef<typeof dataTableFeatures, T>;

export interface DataTableProps<T extends RowData> {
  columns: DataColumn<T>[];
  data: T[];
  getRowId: (row: T) => string;
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  onOpen?: (id: string) => void;
  caption: string;
  empty?: ReactNode;
}

export function DataTable<T extends RowData>({ columns, data, getRowId, selectedId, onSelect, onOpen, caption, empty }: DataTableProps<T>) {
  const table = useTable({ features: dataTableFeatures, columns, data, getRowId: (row) => getRowId(row) });
  return (
    <div className="overflow-x-auto rounded-xl border border-line bg-surface">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-line text-left text-xs text-muted">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const selected = row.id === selectedId;
            return (
              <tr
                key={row.id}
                data-row-id={row.id}
                aria-selected={selected}
                tabIndex={selected ? 0 : -1}
                onClick={(e) => {
                  // Links inside a row keep their own behaviour.
                  if ((e.target as HTMLElement).closest("a,button")) return;
                  onSelect?.(row.id);
                  onOpen?.(row.id);
                }}
                className={`cursor-pointer border-b border-line last:border-0 outline-none ${selected ? "bg-accent/10" : "hover:bg-surface-2"}`}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2 align-top">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.length === 0 && empty ? <div className="p-8">{empty}</div> : null}
    </div>
  );
}

"use client";

import { useQueryStates } from "nuqs";
import { useState } from "react";
import { PERIOD_KINDS, reconciliationParams, type Period } from "@/lib/reconciliation/period";

/**
 * Binding and period for the reconciliation page. Every choice lands in the URL (the shared nuqs
 * parsers), so the server re-renders with it and a copied link opens the same view.
 */

const KIND_LABEL = { day: "Day", week: "Week", month: "Month", custom: "Custom" } as const;

export function PeriodPicker({
  bindings,
  bindingId,
  period,
}: {
  bindings: { id: string; label: string }[];
  bindingId: string;
  period: Period;
}) {
  const [q, setQ] = useQueryStates(reconciliationParams, { shallow: false });
  const [from, setFrom] = useState(q.from ?? period.start);
  const [to, setTo] = useState(q.to ?? period.end);
  return (
    <div className="flex flex-wrap items-end gap-3" aria-label="Period">
      {bindings.length > 1 ? (
        <label className="flex min-w-0 max-w-full flex-col text-xs text-muted">
          Store
          <select
            className="mt-1 max-w-full truncate rounded-md border border-line bg-surface px-2 py-1.5 text-sm text-ink"
            value={bindingId}
            onChange={(e) => void setQ({ binding: e.target.value, run: null, class: null })}
          >
            {bindings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="flex overflow-hidden rounded-md border border-line text-sm" role="group" aria-label="Period length">
        {PERIOD_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            aria-pressed={q.period === k}
            className={`px-3 py-1.5 ${q.period === k ? "bg-surface-2 font-medium" : "hover:bg-surface-2"}`}
            onClick={() =>
              void setQ({ period: k, run: null, ...(k === "custom" ? { from: period.start, to: period.end } : { from: null, to: null }) })
            }
          >
            {KIND_LABEL[k]}
          </button>
        ))}
      </div>
      {q.period === "custom" ? (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void setQ({ from, to, run: null });
          }}
        >
          <label className="flex flex-col text-xs text-muted">
            From
            <input
              type="date"
              className="mt-1 rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label className="flex flex-col text-xs text-muted">
            To
            <input
              type="date"
              className="mt-1 rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button type="submit" className="rounded-md border border-line px-2 py-1.5 text-sm hover:bg-surface-2">
            Apply
          </button>
        </form>
      ) : (
        <label className="flex flex-col text-xs text-muted">
          {q.period === "day" ? "Day" : "Includes"}
          <input
            type="date"
            aria-label="Date in the period"
            className="mt-1 rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
            value={q.date ?? period.start}
            onChange={(e) => e.target.value && void setQ({ date: e.target.value, run: null })}
          />
        </label>
      )}
      <span className="pb-1.5 text-sm text-muted" data-testid="period-label">
        {period.start === period.end ? period.start : `${period.start} → ${period.end}`}
      </span>
    </div>
  );
}

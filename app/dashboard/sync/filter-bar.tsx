"use client";

import Link from "next/link";
import { useState } from "react";
import { CODES, TIME_PRESETS, type HistoryFilter } from "@/lib/history/filter";
import { formatCount } from "@/lib/status-views/counts";
import { historyHref } from "@/lib/history/href";
import { codeMeaning, EVENTS, isSkipReason, RUN_STATUSES, RUN_WARNINGS, type RunStatusName } from "@/lib/status-views/vocabulary";
import { useHistoryUrl } from "./use-history-url";

/**
 * The history's filter bar. Every control moves to the URL the shared nuqs serializer writes (the page is shareable and the
 * server does the filtering); toggles and presets are plain links, so they work before hydration too.
 */

export const STATUS_LABEL: Record<RunStatusName, string> = {
  queued: "Queued",
  running: "Running",
  waiting: "Waiting",
  succeeded: "Synced",
  skipped_by_policy: "Skipped",
  failed: "Failed",
};
const STATUS_TONE: Record<RunStatusName, string> = {
  queued: "text-info",
  running: "text-info",
  waiting: "text-info",
  succeeded: "text-ok",
  skipped_by_policy: "text-warn",
  failed: "text-bad",
};
const PRESET_LABEL: Record<(typeof TIME_PRESETS)[number], string> = {
  "1h": "1 h",
  "24h": "24 h",
  "7d": "7 d",
  all: "All",
  custom: "Custom",
};

export interface FilterBarProps {
  byStatus: Record<RunStatusName, number>;
  byCode: Record<string, number>;
  /** runs with any warning (`any`) and per warning code */
  byWarning: Record<string, number>;
  bindings: { id: string; label: string }[];
  providers: string[];
}

const toLocal = (d?: Date) => (d ? new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : "");

export function FilterBar({ byStatus, byCode, byWarning, bindings, providers }: FilterBarProps) {
  const { filter: f, setFilter: go } = useHistoryUrl();
  const [query, setQuery] = useState(f.q ?? (f.entity ? String(f.entity) : ""));
  const [from, setFrom] = useState(toLocal(f.from));
  const [to, setTo] = useState(toLocal(f.to));

  const toggle = (s: RunStatusName): HistoryFilter => ({
    ...f,
    status: f.status.includes(s) ? f.status.filter((x) => x !== s) : [...f.status, s],
  });
  const codes = CODES.filter((c) => byCode[c] || c === f.code);

  return (
    <section aria-label="Filters" className="space-y-3 rounded-xl border border-line bg-surface p-4">
      <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Status">
        {RUN_STATUSES.map((s) => {
          const on = f.status.includes(s);
          return (
            <Link
              key={s}
              href={historyHref(toggle(s))}
              scroll={false}
              aria-pressed={on}
              data-status-toggle={s}
              className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium ${
                on ? "border-accent bg-accent/10 text-ink" : "border-line text-muted hover:bg-surface-2"
              }`}
            >
              {/* A tick on the chosen ones: toggles add up (issue 17), and the tick says so without colour. */}
              {on ? (
                <svg viewBox="0 0 16 16" className="h-3 w-3" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden data-on>
                  <path d="M3.5 8.5l3 3 6-7" />
                </svg>
              ) : null}
              <span className={STATUS_TONE[s]}>{STATUS_LABEL[s]}</span>
              <span className="tabular-nums" data-count>
                {formatCount(byStatus[s])}
              </span>
            </Link>
          );
        })}
        {f.status.length ? (
          <>
            <span className="text-xs text-muted" data-testid="status-summary">
              Showing {f.status.map((x) => STATUS_LABEL[x]).join(" or ")}
            </span>
            <Link href={historyHref({ ...f, status: [] })} scroll={false} className="text-xs text-muted underline">
              any status
            </Link>
          </>
        ) : (
          <span className="text-xs text-muted">Click statuses to combine them</span>
        )}
      </div>

      <div className="flex flex-wrap items-end gap-3">
        <label className="space-y-1 text-xs text-muted">
          <span className="block font-medium">Reason / error</span>
          <select
            aria-label="Reason or error code"
            value={f.code ?? ""}
            onChange={(e) => go({ code: (e.target.value || undefined) as HistoryFilter["code"] })}
            className="rounded-md border border-line bg-surface px-2 py-1.5 text-sm text-ink"
          >
            <option value="">Any code</option>
            {codes.map((c) => (
              <option key={c} value={c} title={codeMeaning(c) ?? undefined}>
                {isSkipReason(c) ? "skip" : "error"}: {c} ({formatCount(byCode[c] ?? 0)})
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-xs text-muted">
          <span className="block font-medium">Warnings</span>
          <select
            aria-label="Warnings"
            data-testid="warning-filter"
            value={f.warning ?? ""}
            onChange={(e) => go({ warning: (e.target.value || undefined) as HistoryFilter["warning"] })}
            className={`rounded-md border bg-surface px-2 py-1.5 text-sm text-ink ${f.warning ? "border-accent" : "border-line"}`}
          >
            <option value="">With or without</option>
            <option value="any">With warnings ({formatCount(byWarning.any ?? 0)})</option>
            {RUN_WARNINGS.filter((w) => byWarning[w] || w === f.warning).map((w) => (
              <option key={w} value={w} title={codeMeaning(w) ?? undefined}>
                {w} ({formatCount(byWarning[w] ?? 0)})
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-xs text-muted">
          <span className="block font-medium">Event</span>
          <select
            aria-label="Event"
            value={f.event ?? ""}
            onChange={(e) => go({ event: (e.target.value || undefined) as HistoryFilter["event"] })}
            className="rounded-md border border-line bg-surface px-2 py-1.5 text-sm text-ink"
          >
            <option value="">Any event</option>
            {EVENTS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        {bindings.length > 1 ? (
          <label className="space-y-1 text-xs text-muted">
            <span className="block font-medium">Binding</span>
            <select
              aria-label="Binding"
              value={f.binding ?? ""}
              onChange={(e) => go({ binding: e.target.value || undefined })}
              className="max-w-56 rounded-md border border-line bg-surface px-2 py-1.5 text-sm text-ink"
            >
              <option value="">All bindings</option>
              {bindings.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {providers.length > 1 ? (
          <div className="flex gap-1" role="group" aria-label="Provider">
            {providers.map((p) => (
              <Link
                key={p}
                href={historyHref({ ...f, provider: f.provider === p ? undefined : p })}
                scroll={false}
                aria-pressed={f.provider === p}
                className={`rounded-full border px-2.5 py-1 text-xs ${f.provider === p ? "border-accent text-ink" : "border-line text-muted"}`}
              >
                {p}
              </Link>
            ))}
          </div>
        ) : null}
        <form
          role="search"
          className="space-y-1 text-xs text-muted"
          onSubmit={(e) => {
            e.preventDefault();
            // The server works out what the text is (lib/history/search.ts) and says which matched.
            go({ q: query.trim() || undefined, entity: undefined, type: undefined });
          }}
        >
          <label htmlFor="history-search" className="block font-medium">
            Document, Sage reference or entity id <kbd className="rounded border border-line px-1">/</kbd>
          </label>
          <input
            id="history-search"
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="000000028, SI-23 or 1042"
            className="w-56 max-w-full rounded-md border border-line bg-surface px-2 py-1.5 text-sm text-ink"
          />
        </form>
        <div className="space-y-1 text-xs text-muted">
          <span className="block font-medium">Time</span>
          <div className="flex overflow-hidden rounded-md border border-line" role="group" aria-label="Time range">
            {TIME_PRESETS.filter((p) => p !== "custom").map((p) => (
              <Link
                key={p}
                href={historyHref({ ...f, range: p, from: undefined, to: undefined })}
                scroll={false}
                aria-pressed={f.range === p}
                className={`px-2.5 py-1.5 text-sm ${f.range === p ? "bg-surface-2 font-medium text-ink" : "hover:bg-surface-2"}`}
              >
                {PRESET_LABEL[p]}
              </Link>
            ))}
          </div>
        </div>
        <form
          className="flex flex-wrap items-end gap-1 text-xs text-muted"
          onSubmit={(e) => {
            e.preventDefault();
            go({ range: "custom", from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
          }}
        >
          <label className="space-y-1">
            <span className="block font-medium">From</span>
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              className="max-w-full rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
            />
          </label>
          <label className="space-y-1">
            <span className="block font-medium">To</span>
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              className="max-w-full rounded-md border border-line bg-surface px-2 py-1 text-sm text-ink"
            />
          </label>
          <button
            type="submit"
            className={`rounded-md border px-2 py-1.5 text-sm ${f.range === "custom" ? "border-accent text-ink" : "border-line"}`}
          >
            {PRESET_LABEL.custom}
          </button>
        </form>
      </div>
    </section>
  );
}

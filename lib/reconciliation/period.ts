import { createLoader, createSerializer, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { z } from "zod";
import { zodParam } from "@/lib/http/search-params";
import { ROW_CLASSES } from "./vocabulary";

/**
 * The reconciliation page's URL state (nuqs parsers shared by the server page, the client controls and
 * every link) and the period arithmetic: a day, an ISO week (Monday–Sunday), a calendar month, or a
 * custom range, all UTC dates with both ends inclusive.
 */

export const PERIOD_KINDS = ["day", "week", "month", "custom"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export interface Period {
  start: string;
  end: string;
}

/** The longest custom range: a quarter keeps one run within the Sage budget of a busy store. */
export const MAX_PERIOD_DAYS = 92;

const day = z.iso.date();
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const at = (s: string) => new Date(`${s}T00:00:00Z`);
const addDays = (s: string, n: number) => {
  const d = at(s);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDate(d);
};
export const daysIn = (p: Period): number => Math.round((at(p.end).getTime() - at(p.start).getTime()) / 86_400_000) + 1;

export function periodFor(kind: PeriodKind, anchor: string, from?: string | null, to?: string | null): Period {
  if (kind === "day") return { start: anchor, end: anchor };
  if (kind === "week") {
    const dow = (at(anchor).getUTCDay() + 6) % 7; // Monday = 0
    const start = addDays(anchor, -dow);
    return { start, end: addDays(start, 6) };
  }
  if (kind === "month") {
    const start = `${anchor.slice(0, 7)}-01`;
    const next = at(start);
    next.setUTCMonth(next.getUTCMonth() + 1);
    return { start, end: addDays(isoDate(next), -1) };
  }
  const start = from ?? anchor;
  const end = to && to >= start ? to : start;
  return daysIn({ start, end }) > MAX_PERIOD_DAYS ? { start, end: addDays(start, MAX_PERIOD_DAYS - 1) } : { start, end };
}

export const periodInput = z
  .object({ start: day, end: day })
  .refine((p) => p.end >= p.start, { message: "The period must end on or after its start." })
  .refine((p) => daysIn(p) <= MAX_PERIOD_DAYS, { message: `A period is at most ${MAX_PERIOD_DAYS} days.` });

export const reconciliationParams = {
  binding: zodParam(z.uuid(), (s) => s),
  period: parseAsStringLiteral(PERIOD_KINDS).withDefault("month"),
  date: zodParam(day, (s) => s),
  from: zodParam(day, (s) => s),
  to: zodParam(day, (s) => s),
  class: parseAsStringLiteral(ROW_CLASSES),
  /** a specific earlier reconciliation to show instead of the latest for the period */
  run: zodParam(z.uuid(), (s) => s),
  /** a row to select (the run detail's link back) */
  row: zodParam(z.uuid(), (s) => s),
};
export type ReconciliationParams = inferParserType<typeof reconciliationParams>;
export const loadReconciliationParams = createLoader(reconciliationParams);
export const serializeReconciliationParams = createSerializer(reconciliationParams);

/** The period the URL names; today (UTC) anchors a missing date. */
export function periodFromParams(p: ReconciliationParams, today = new Date()): Period {
  return periodFor(p.period, p.date ?? isoDate(today), p.from, p.to);
}

/** The page showing one stored reconciliation, optionally with one of its rows selected. */
export function reconciliationHref(r: { bindingId: string; period: Period; reconciliationId: string; rowId?: string }): string {
  return serializeReconciliationParams("/dashboard/reconciliation", {
    binding: r.bindingId,
    period: "custom",
    from: r.period.start,
    to: r.period.end,
    run: r.reconciliationId,
    row: r.rowId ?? null,
  });
}

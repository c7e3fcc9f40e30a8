import { filterToSearchParams, type HistoryFilter } from "./filter";

/** View state beyond the filter: page size ("Load more"), keyset cursor, and the open run drawer. */
export interface HistoryView {
  limit?: number;
  cursor?: string | null;
  run?: string | null;
}

export const HISTORY_PATH = "/dashboard/sync";
export const LIMIT_STEP = 50;
export const MAX_LIMIT = 500;

export function historyHref(f: HistoryFilter, v: HistoryView = {}): string {
  const p = filterToSearchParams(f);
  if (v.limit && v.limit !== LIMIT_STEP) p.set("limit", String(v.limit));
  if (v.cursor) p.set("cursor", v.cursor);
  if (v.run) p.set("run", v.run);
  const qs = p.toString();
  return qs ? `${HISTORY_PATH}?${qs}` : HISTORY_PATH;
}

/** `limit` from the URL: a multiple of the step, within bounds. */
export function parseLimit(raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) return LIMIT_STEP;
  return Math.min(MAX_LIMIT, Math.max(LIMIT_STEP, Math.ceil(n / LIMIT_STEP) * LIMIT_STEP));
}

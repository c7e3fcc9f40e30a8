import { createLoader, createParser, createSerializer, parseAsString } from "nuqs/server";
import { filterToParams, historyFilterParams, normaliseHistoryFilter, type HistoryFilter } from "./filter";

/**
 * The history page's whole URL state: the filter, plus the view around it — page size ("Load more"),
 * keyset cursor, and the open run drawer. The same nuqs parsers read `searchParams` on the server,
 * drive `useQueryStates` in the filter bar and table, and write every link.
 */

export const HISTORY_PATH = "/dashboard/sync";
export const LIMIT_STEP = 50;
export const MAX_LIMIT = 500;

/** `limit` from the URL: a multiple of the step, within bounds; anything else is the first step. */
export function parseLimit(raw: string | undefined | null): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) return LIMIT_STEP;
  return Math.min(MAX_LIMIT, Math.max(LIMIT_STEP, Math.ceil(n / LIMIT_STEP) * LIMIT_STEP));
}

export const historyViewParams = {
  ...historyFilterParams,
  limit: createParser({ parse: parseLimit, serialize: String }).withDefault(LIMIT_STEP),
  cursor: parseAsString,
  run: parseAsString,
};

export interface HistoryView {
  limit?: number;
  cursor?: string | null;
  run?: string | null;
}

const loadView = createLoader(historyViewParams);
const serializeView = createSerializer(historyViewParams);

/** Filter and view from the page's `searchParams` (or any URLSearchParams). */
export function parseHistoryView(src: URLSearchParams | Record<string, string | string[] | undefined>): {
  filter: HistoryFilter;
  view: Required<HistoryView>;
} {
  const { limit, cursor, run, ...filter } = loadView(src);
  return { filter: normaliseHistoryFilter(filter), view: { limit, cursor: cursor || null, run: run || null } };
}

/** Everything nuqs writes for a filter and view (null: leave the key out). */
function historyParams(f: HistoryFilter, v: HistoryView = {}) {
  return { ...filterToParams(f), limit: v.limit ?? null, cursor: v.cursor || null, run: v.run || null };
}

export function historyHref(f: HistoryFilter, v: HistoryView = {}): string {
  return serializeView(HISTORY_PATH, historyParams(f, v));
}

import { createLoader, createMultiParser, createSerializer, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { z } from "zod";
import { dateParam, zodParam } from "@/lib/http/search-params";
import {
  ENTITY_TYPES,
  EVENTS,
  RUN_STATUSES,
  RUN_WARNINGS,
  SKIP_REASONS,
  SYNC_ERROR_CLASSES,
  type RunStatusName,
} from "@/lib/status-views/vocabulary";

/**
 * The sync history's filter and sort as URL state: one set of nuqs parsers that the server page
 * (loading `searchParams`), the client controls (`useQueryStates`) and every link (the serializer)
 * share, so a shared link reproduces the view. Unknown or malformed values fall back to "no filter"
 * instead of failing the page: a link that was hand-edited or outlived a vocabulary change still opens.
 */

export const TIME_PRESETS = ["1h", "24h", "7d", "all", "custom"] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];
const PRESET_MS: Record<Exclude<TimePreset, "all" | "custom">, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 };

export const DEFAULT_RANGE: TimePreset = "7d";

export const SORT_KEYS = ["time", "status", "event", "duration", "attempts"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const CODES = [...SKIP_REASONS, ...SYNC_ERROR_CLASSES] as const;

/** "With warnings": `any` warning, or one warning code (e.g. total_mismatch, decisions D11). */
export const WARNING_FILTERS = ["any", ...RUN_WARNINGS] as const;
export type WarningFilter = (typeof WARNING_FILTERS)[number];

const isRunStatus = (s: string): s is RunStatusName => (RUN_STATUSES as readonly string[]).includes(s);

/** `status=a,b` or `status=a&status=b`; unknown names are dropped, order is canonical; written as one comma list. */
const statusParam = createMultiParser<RunStatusName[]>({
  parse: (values) => {
    const wanted = new Set(values.flatMap((x) => x.split(",")).filter(isRunStatus));
    return RUN_STATUSES.filter((s) => wanted.has(s));
  },
  serialize: (statuses) => [statuses.join(",")],
  eq: (a, b) => a.join(",") === b.join(","),
}).withDefault([]);

/** Magento entity ids are positive 32-bit integers. */
export const entityIdParam = zodParam(z.coerce.number().int().positive().max(2_147_483_647), String);

/** The parsers, in the order their keys appear in links. */
export const historyFilterParams = {
  status: statusParam,
  code: parseAsStringLiteral(CODES),
  warning: parseAsStringLiteral(WARNING_FILTERS),
  event: parseAsStringLiteral(EVENTS),
  entity: entityIdParam,
  type: parseAsStringLiteral(ENTITY_TYPES),
  // What was typed in the search box (a document number, Sage reference or entity id): lib/history/search.ts.
  q: zodParam(z.string().trim().min(1).max(80), (s) => s),
  provider: zodParam(z.string().regex(/^[a-z0-9_]{1,40}$/), (s) => s),
  binding: zodParam(z.uuid(), (s) => s),
  // The daily view is the last week; "all" is one click (and what entity deep links ask for).
  range: parseAsStringLiteral(TIME_PRESETS).withDefault(DEFAULT_RANGE),
  from: dateParam,
  to: dateParam,
  sort: parseAsStringLiteral(SORT_KEYS).withDefault("time"),
  dir: parseAsStringLiteral(["asc", "desc"] as const).withDefault("desc"),
};

type Loaded = inferParserType<typeof historyFilterParams>;
type Optional = "code" | "warning" | "event" | "entity" | "type" | "q" | "provider" | "binding" | "from" | "to";

/** A filter with absent parts left out (not null), so equal filters compare equal. */
export type HistoryFilter = Omit<Loaded, Optional> & { [K in Optional]?: NonNullable<Loaded[K]> };

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

const loadHistoryFilter = createLoader(historyFilterParams);
const serializeHistoryFilter = createSerializer(historyFilterParams);

/** The URL state as read (nulls for absent parts) → the filter: a custom range needs a bound; bounds mean something only with "custom". */
export function normaliseHistoryFilter(loaded: Loaded): HistoryFilter {
  const f = Object.fromEntries(Object.entries(loaded).filter(([, v]) => v !== null && v !== undefined)) as HistoryFilter;
  if (f.range !== "custom") {
    delete f.from;
    delete f.to;
  } else if (!f.from && !f.to) {
    f.range = DEFAULT_RANGE;
  }
  return f;
}

/** Read a filter from URL search params (Next's `searchParams` object or a URLSearchParams). */
export function parseHistoryFilter(src: ParamSource): HistoryFilter {
  return normaliseHistoryFilter(loadHistoryFilter(src));
}

export const DEFAULT_FILTER: HistoryFilter = parseHistoryFilter({});

/** The filter as the values nuqs writes: every key present, null for "leave out"; bounds only for a custom range. */
export function filterToParams(f: HistoryFilter): { [K in keyof Loaded]: Loaded[K] | null } {
  const custom = f.range === "custom";
  return {
    status: f.status,
    code: f.code ?? null,
    warning: f.warning ?? null,
    event: f.event ?? null,
    entity: f.entity ?? null,
    type: f.type ?? null,
    q: f.q ?? null,
    provider: f.provider ?? null,
    binding: f.binding ?? null,
    range: f.range,
    from: custom ? (f.from ?? null) : null,
    to: custom ? (f.to ?? null) : null,
    sort: f.sort,
    dir: f.dir,
  };
}

/** The filter as URL params, leaving out defaults so links stay short. */
export function filterToSearchParams(f: HistoryFilter): URLSearchParams {
  return new URLSearchParams(serializeHistoryFilter(filterToParams(f)));
}

/** The absolute window a filter covers at `now` (presets are relative to the moment of the query). */
export function timeWindow(f: HistoryFilter, now: Date = new Date()): { from?: Date; to?: Date } {
  if (f.range === "all") return {};
  if (f.range === "custom") return { from: f.from, to: f.to };
  return { from: new Date(now.getTime() - PRESET_MS[f.range]) };
}

/** True when the filter narrows anything (drives the "clear filters" affordance and empty states). */
export function isFiltered(f: HistoryFilter): boolean {
  return filterToSearchParams({ ...f, sort: "time", dir: "desc" }).size > 0;
}

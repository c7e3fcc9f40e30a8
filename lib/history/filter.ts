import { z } from "zod";
import { ENTITY_TYPES, EVENTS, RUN_STATUSES, RUN_WARNINGS, SKIP_REASONS, SYNC_ERROR_CLASSES, type RunStatusName } from "@/lib/status-views/vocabulary";

/**
 * The sync history's filter, sort and page: one schema that both the server page (parsing
 * `searchParams`) and the client controls (writing the URL) use, so a shared link reproduces the view.
 * Unknown or malformed values fall back to "no filter" instead of failing the page: a link that was
 * hand-edited or outlived a vocabulary change still opens.
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

/** `status=a,b` or `status=a&status=b`; unknown names are dropped, order is canonical. */
const statusList = z
  .array(z.string())
  .transform((xs) => {
    const wanted = new Set(xs.flatMap((x) => x.split(",")).filter(isRunStatus));
    return RUN_STATUSES.filter((s) => wanted.has(s));
  })
  .catch([]);

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const historyFilterSchema = z.object({
  status: statusList,
  code: z.enum(CODES).optional().catch(undefined),
  warning: z.enum(WARNING_FILTERS).optional().catch(undefined),
  event: z.enum(EVENTS).optional().catch(undefined),
  entity: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  type: z.enum(ENTITY_TYPES).optional().catch(undefined),
  provider: z.string().regex(/^[a-z0-9_]{1,40}$/).optional().catch(undefined),
  binding: z.uuid().optional().catch(undefined),
  // The daily view is the last week; "all" is one click (and what entity deep links ask for).
  range: z.enum(TIME_PRESETS).catch(DEFAULT_RANGE),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  sort: z.enum(SORT_KEYS).catch("time"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
});
export type HistoryFilter = z.infer<typeof historyFilterSchema>;



type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function getAll(src: ParamSource, key: string): string[] {
  if (src instanceof URLSearchParams) return src.getAll(key);
  const v = src[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const SCALARS = ["code", "warning", "event", "entity", "type", "provider", "binding", "range", "from", "to", "sort", "dir"] as const;

/** Read a filter from URL search params (Next's `searchParams` object or a URLSearchParams). */
export function parseHistoryFilter(src: ParamSource): HistoryFilter {
  const raw: Record<string, unknown> = { status: getAll(src, "status") };
  for (const k of SCALARS) {
    const v = getAll(src, k)[0];
    if (v !== undefined && v !== "") raw[k] = v;
  }
  const f = historyFilterSchema.parse(raw);
  // A custom range needs at least one bound; from/to only mean something with "custom".
  if (f.range !== "custom") return compact({ ...f, from: undefined, to: undefined });
  if (!f.from && !f.to) return compact({ ...f, range: DEFAULT_RANGE });
  return compact(f);
}

/** Absent fields are absent, not `undefined`, so equal filters compare equal. */
function compact(f: HistoryFilter): HistoryFilter {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as HistoryFilter;
}

export const DEFAULT_FILTER: HistoryFilter = parseHistoryFilter({});

/** The filter as URL params, leaving out defaults so links stay short. */
export function filterToSearchParams(f: HistoryFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (f.status.length) p.set("status", f.status.join(","));
  if (f.code) p.set("code", f.code);
  if (f.warning) p.set("warning", f.warning);
  if (f.event) p.set("event", f.event);
  if (f.entity !== undefined) p.set("entity", String(f.entity));
  if (f.type) p.set("type", f.type);
  if (f.provider) p.set("provider", f.provider);
  if (f.binding) p.set("binding", f.binding);
  if (f.range !== DEFAULT_RANGE) p.set("range", f.range);
  if (f.range === "custom" && f.from) p.set("from", f.from.toISOString());
  if (f.range === "custom" && f.to) p.set("to", f.to.toISOString());
  if (f.sort !== "time") p.set("sort", f.sort);
  if (f.dir !== "desc") p.set("dir", f.dir);
  return p;
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

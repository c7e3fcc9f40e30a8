import { createLoader, createSerializer, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { z } from "zod";
import { zodParam } from "@/lib/http/search-params";
import { CHIP_VARIANTS } from "./vocabulary";

/**
 * URL state of the Magento-side status views (invoices, credit memos, customers): chip filter,
 * entity deep link, search, sort and keyset cursor (`after`, keyset.ts), as nuqs parsers shared by
 * the pages and their links.
 * Bad values fall back to defaults, like the history filter.
 */

export const DOC_SORTS = ["recent", "increment", "customer", "total", "chip"] as const;
export type DocSort = (typeof DOC_SORTS)[number];

export const STATUS_VIEW_PAGE = 50;

/** The parsers, in the order their keys appear in links. */
export const statusViewParams = {
  chip: parseAsStringLiteral(CHIP_VARIANTS),
  entity: zodParam(z.coerce.number().int().positive().max(2_147_483_647), String),
  q: zodParam(z.string().trim().max(80), (s) => s),
  sort: parseAsStringLiteral(DOC_SORTS).withDefault("recent"),
  dir: parseAsStringLiteral(["asc", "desc"] as const).withDefault("desc"),
  view: parseAsStringLiteral(["documents", "orders"] as const).withDefault("documents"),
  /** keyset cursor: the page starts after this row (keyset.ts); absent for the first page */
  after: zodParam(z.string().regex(/^[A-Za-z0-9_-]{1,1200}$/), (s) => s),
};

type Loaded = inferParserType<typeof statusViewParams>;
type Optional = "chip" | "entity" | "q" | "after";
export type StatusViewParams = Omit<Loaded, Optional> & { [K in Optional]?: NonNullable<Loaded[K]> };

const load = createLoader(statusViewParams);
const serialize = createSerializer(statusViewParams);

export function parseStatusViewParams(src: URLSearchParams | Record<string, string | string[] | undefined>): StatusViewParams {
  // Absent and empty parts are left out (not null), so `p.q` and `p.chip` read as plain optionals.
  return Object.fromEntries(Object.entries(load(src)).filter(([, v]) => v !== null && v !== "")) as StatusViewParams;
}

export const DEFAULT_STATUS_VIEW: StatusViewParams = parseStatusViewParams({});

export function statusViewHref(path: string, p: StatusViewParams, patch: Partial<StatusViewParams> = {}): string {
  const m = { ...p, ...patch };
  return serialize(path, {
    chip: m.chip ?? null,
    entity: m.entity ?? null,
    q: m.q || null,
    sort: m.sort,
    dir: m.dir,
    view: m.view,
    after: m.after ?? null,
  });
}

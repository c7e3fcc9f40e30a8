import { SageError, item } from "./http.ts";
import type { Json } from "./store.ts";

/** Sage's list conventions (sage-api §3.4–3.5): envelope, paging, `attributes`. */
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 200;

export function paging(query: URLSearchParams): { page: number; perPage: number } {
  const rawPer = query.get("items_per_page");
  const rawPage = query.get("page");
  const perPage = rawPer === null ? DEFAULT_PER_PAGE : Number(rawPer);
  const page = rawPage === null ? 1 : Number(rawPage);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new SageError(422, [item("RecordInvalid", `must be between 1 and ${MAX_PER_PAGE}`, "items_per_page")]);
  }
  if (!Number.isInteger(page) || page < 1) throw new SageError(422, [item("RecordInvalid", "must be a positive integer", "page")]);
  return { page, perPage };
}

const ALWAYS = ["id", "displayed_as", "$path"];

/** Lists carry only id/displayed_as/$path unless `attributes=all` or a comma list asks for more. */
export function selectAttributes(record: Json, attributes: string | null, singular: boolean): Json {
  if (attributes === "all" || (singular && !attributes)) return record;
  const wanted = new Set([...ALWAYS, ...(attributes ? attributes.split(",").map((a) => a.trim()) : [])]);
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.has(k)));
}

export function envelope(
  collectionPath: string,
  query: URLSearchParams,
  total: number,
  page: number,
  perPage: number,
  items: Json[],
): Json {
  const link = (p: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(p));
    q.set("items_per_page", String(perPage));
    return `${collectionPath}?${q.toString()}`;
  };
  const last = Math.max(1, Math.ceil(total / perPage));
  const attributes = query.get("attributes");
  return {
    $total: total,
    $page: page,
    $next: page < last ? link(page + 1) : null,
    $back: page > 1 ? link(page - 1) : null,
    $itemsPerPage: perPage,
    $items: items.map((i) => selectAttributes(i, attributes, false)),
  };
}

/** Pages an in-memory array (reference data) with the same rules as database lists. */
export function listArray(collectionPath: string, query: URLSearchParams, all: Json[]): Json {
  const { page, perPage } = paging(query);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const p = Math.min(page, last);
  return envelope(collectionPath, query, all.length, p, perPage, all.slice((p - 1) * perPage, p * perPage));
}

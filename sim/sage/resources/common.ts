import type { ApiContext } from "../context.ts";
import { envelope, paging, selectAttributes } from "../listing.ts";
import { forbidden, notFound } from "../http.ts";
import { base, countryBase } from "../reference.ts";
import { getRecord, listRecords, type Json, type Kind, type Where } from "../store.ts";

/** Address as Sage returns it: country as a Base object instead of country_id. */
export function renderAddress(input: Record<string, unknown> | undefined, addressType: string): Json | null {
  if (!input) return null;
  const { country_id, address_type_id, country_group_id, ...rest } = input as Record<string, string | undefined>;
  const type = address_type_id ?? addressType;
  return {
    ...rest,
    country: country_id ? countryBase(country_id) : null,
    address_type: base("address_types", type, type === "DELIVERY" ? "Delivery" : "Sales"),
    country_group: country_group_id ? base("country_groups", country_group_id, country_group_id) : null,
  };
}

const SORTABLE = new Set(["created_at", "updated_at", "date", "due_date"]);

/** `sort=created_at|updated_at|date[:asc|desc]`; default is creation order. */
export function sortClause(query: URLSearchParams): string {
  const raw = query.get("sort");
  if (!raw) return "seq ASC";
  const [field, dir] = raw.split(":");
  if (!SORTABLE.has(field)) return "seq ASC";
  const direction = dir === "desc" ? "DESC" : "ASC";
  const col = field === "created_at" || field === "updated_at" ? field : `(data->>'${field}')`;
  return `${col} ${direction}, seq ${direction}`;
}

/** Common delta filters every list accepts (sage-api §3.6). */
export function deltaFilters(w: Where, query: URLSearchParams): void {
  const since = query.get("updated_or_created_since");
  if (since) w.add("updated_at >= ?::timestamptz", since);
}

export async function listHandler(
  ctx: ApiContext,
  kind: Kind,
  filters: (w: Where, q: URLSearchParams) => void,
  decorate: (record: Json) => Promise<Json> | Json = (r) => r,
) {
  const q = ctx.req.url.searchParams;
  const { page, perPage } = paging(q);
  const res = await listRecords(
    ctx.db,
    ctx.business.id,
    kind,
    (w) => {
      deltaFilters(w, q);
      filters(w, q);
    },
    sortClause(q),
    perPage,
    page,
    q.get("deleted_since") ?? undefined,
  );
  const wantsDetail = q.get("attributes") !== null;
  const items = wantsDetail ? await Promise.all(res.items.map(decorate)) : res.items;
  return { status: 200, body: envelope(`/${kind}`, q, res.total, res.page, perPage, items) };
}

export async function getHandler(ctx: ApiContext, kind: Kind, id: string, decorate: (record: Json) => Promise<Json> | Json = (r) => r) {
  const rec = await getRecord(ctx.db, ctx.business.id, kind, id);
  if (!rec) throw notFound();
  return { status: 200, body: selectAttributes(await decorate(rec), ctx.req.url.searchParams.get("attributes"), true) };
}

/** Sage `search` matches case-insensitively on a few text fields. */
export function searchFilter(w: Where, q: URLSearchParams, fields: string[]): void {
  const s = q.get("search");
  if (!s) return;
  const like = `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  w.add(`(${fields.map((f) => `${f} ILIKE ?`).join(" OR ")})`, ...fields.map(() => like));
}

/** A `readonly` token may not change data. */
export function requireWrite(ctx: ApiContext): void {
  if (ctx.scope !== "full_access") throw forbidden();
}

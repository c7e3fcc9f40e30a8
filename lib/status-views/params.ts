import { z } from "zod";
import { CHIP_VARIANTS } from "./vocabulary";

/**
 * URL state of the Magento-side status views (invoices, credit memos, customers): chip filter,
 * entity deep link, search, sort and page. Bad values fall back to defaults, like the history filter.
 */

export const DOC_SORTS = ["recent", "increment", "customer", "total", "chip"] as const;
export type DocSort = (typeof DOC_SORTS)[number];

export const statusViewSchema = z.object({
  chip: z.enum(CHIP_VARIANTS).optional().catch(undefined),
  entity: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  q: z.string().trim().max(80).optional().catch(undefined),
  sort: z.enum(DOC_SORTS).catch("recent"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  view: z.enum(["documents", "orders"]).catch("documents"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type StatusViewParams = z.infer<typeof statusViewSchema>;

export const STATUS_VIEW_PAGE = 50;

export function parseStatusViewParams(src: Record<string, string | string[] | undefined>): StatusViewParams {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(src)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined && first !== "") raw[k] = first;
  }
  return statusViewSchema.parse(raw);
}

export function statusViewHref(path: string, p: StatusViewParams, patch: Partial<StatusViewParams> = {}): string {
  const m = { ...p, ...patch };
  const s = new URLSearchParams();
  if (m.chip) s.set("chip", m.chip);
  if (m.entity !== undefined) s.set("entity", String(m.entity));
  if (m.q) s.set("q", m.q);
  if (m.sort !== "recent") s.set("sort", m.sort);
  if (m.dir !== "desc") s.set("dir", m.dir);
  if (m.view !== "documents") s.set("view", m.view);
  if (m.page !== 1) s.set("page", String(m.page));
  const qs = s.toString();
  return qs ? `${path}?${qs}` : path;
}

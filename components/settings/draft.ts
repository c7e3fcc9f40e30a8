import type { Policy } from "@/lib/policy/schema";

/**
 * The settings form's working copy. Map settings are edited as rows (so a half-typed percentage or
 * method code can exist on screen), number lists and numbers as text; `toSettings` turns the draft
 * back into the policy JSON the server validates. Nothing is checked here: the server does it all,
 * so what the form shows is exactly what the save would say.
 */

export interface TaxRow {
  rowId: string;
  pct: string;
  rateId: string | null;
}

/** `bankId`: a Sage bank account id, null for "None — never auto-pay", undefined for unmapped. */
export interface MethodRow {
  rowId: string;
  code: string;
  label: string | null;
  live: boolean;
  bankId: string | null | undefined;
}

export interface TypeRow {
  rowId: string;
  type: string;
  value: string;
}

export type Draft = Omit<
  Policy,
  | "tax_rate_map"
  | "payment_method_map"
  | "product_type_eu_goods_map"
  | "website_filter"
  | "store_filter"
  | "sync_since"
  | "invoice_number_prefix"
  | "b2c_consolidation"
> & {
  website_filter: string;
  store_filter: string;
  /** YYYY-MM-DD (midnight UTC) or "" */
  sync_since: string;
  invoice_number_prefix: string;
  taxRows: TaxRow[];
  methodRows: MethodRow[];
  typeRows: TypeRow[];
  b2c: Omit<Policy["b2c_consolidation"], "min_total_for_individual"> & { min_total_for_individual: string };
};

let rowSeq = 0;
export const newRowId = () => `r${++rowSeq}`;

export function toDraft(p: Policy, liveMethods: { code: string; label: string | null }[] | null): Draft {
  const {
    tax_rate_map,
    payment_method_map,
    product_type_eu_goods_map,
    website_filter,
    store_filter,
    sync_since,
    invoice_number_prefix,
    b2c_consolidation,
    ...rest
  } = p;
  const methodRows: MethodRow[] = (liveMethods ?? []).map((m) => ({
    rowId: newRowId(),
    code: m.code,
    label: m.label,
    live: true,
    bankId: Object.hasOwn(payment_method_map, m.code) ? payment_method_map[m.code] : undefined,
  }));
  // Mapped codes Magento no longer lists stay visible, so they can be removed (the save flags them).
  for (const [code, bankId] of Object.entries(payment_method_map)) {
    if (!methodRows.some((r) => r.code === code)) methodRows.push({ rowId: newRowId(), code, label: null, live: false, bankId });
  }
  return {
    ...rest,
    website_filter: website_filter.join(", "),
    store_filter: store_filter.join(", "),
    sync_since: sync_since ? sync_since.slice(0, 10) : "",
    invoice_number_prefix: invoice_number_prefix ?? "",
    taxRows: Object.entries(tax_rate_map).map(([pct, rateId]) => ({ rowId: newRowId(), pct, rateId })),
    methodRows,
    typeRows: Object.entries(product_type_eu_goods_map).map(([type, value]) => ({ rowId: newRowId(), type, value })),
    b2c: { ...b2c_consolidation, min_total_for_individual: String(b2c_consolidation.min_total_for_individual) },
  };
}

/** "1, 2" → [1, 2]; anything that is not a whole number is passed on as typed, for the server to reject. */
function idList(text: string): (number | string)[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

const numberOrText = (text: string): number | string => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);

export function toSettings(d: Draft): Record<string, unknown> {
  const { taxRows, methodRows, typeRows, b2c, website_filter, store_filter, sync_since, invoice_number_prefix, ...rest } = d;
  const payment_method_map: Record<string, string | null> = {};
  for (const r of methodRows) if (r.code.trim() && r.bankId !== undefined) payment_method_map[r.code.trim()] = r.bankId;
  return {
    ...rest,
    website_filter: idList(website_filter),
    store_filter: idList(store_filter),
    sync_since: sync_since ? `${sync_since}T00:00:00Z` : null,
    invoice_number_prefix: invoice_number_prefix.trim() || null,
    tax_rate_map: Object.fromEntries(taxRows.filter((r) => r.pct.trim() || r.rateId).map((r) => [r.pct, r.rateId ?? ""])),
    payment_method_map,
    product_type_eu_goods_map: Object.fromEntries(typeRows.filter((r) => r.type.trim()).map((r) => [r.type.trim(), r.value])),
    b2c_consolidation: { ...b2c, min_total_for_individual: numberOrText(b2c.min_total_for_individual) },
  };
}

/** Whether two drafts would save the same settings (the unsaved-changes dot). */
export const sameSettings = (a: Draft, b: Draft) => JSON.stringify(toSettings(a)) === JSON.stringify(toSettings(b));

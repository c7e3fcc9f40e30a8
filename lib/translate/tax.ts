import type { EuGoodsServicesType, Policy } from "@/lib/policy/schema";
import { isEu } from "./countries";
import { toPence } from "./money";

/**
 * Tax routing of a line (decisions D2) — the single place this rule lives.
 *
 * Magento's `tax_rate` is computed on the pre-discount row and omitted when tax is 0, so a literal
 * lookup misroutes discounted reduced-rate lines and zero-rated lines. Candidates, in order:
 *   1. tax_rate × 100
 *   2. 100 × line_tax ÷ (line_subtotal − discount)       (discount = subtotal + tax − total)
 *   3. 100 × line_tax ÷ line_subtotal
 *   4. 0 when line_tax is 0
 * The first candidate within 0.05 points of a tax-rate-map key wins; otherwise the default rate.
 */

export const CROSS_BORDER_TAX_RATE_ID = "GB_ZERO";
const TOLERANCE = 0.05;

export interface TaxableLine {
  line_subtotal: number;
  line_tax: number;
  line_total: number;
  tax_rate?: number;
}

export type TaxRoute =
  { kind: "mapped"; taxRateId: string; percent: string } | { kind: "default"; taxRateId: string } | { kind: "missing_default" };

export function lineDiscount(line: TaxableLine): number {
  return (toPence(line.line_subtotal) + toPence(line.line_tax) - toPence(line.line_total)) / 100;
}

export function taxCandidates(line: TaxableLine): number[] {
  const out: number[] = [];
  if (line.tax_rate !== undefined && line.tax_rate > 0) out.push(line.tax_rate * 100);
  const discount = lineDiscount(line);
  const discounted = line.line_subtotal - discount;
  if (discounted > 0) out.push((100 * line.line_tax) / discounted);
  if (line.line_subtotal > 0) out.push((100 * line.line_tax) / line.line_subtotal);
  if (toPence(line.line_tax) === 0) out.push(0);
  return out;
}

export function routeTax(candidates: number[], policy: Pick<Policy, "tax_rate_map" | "default_tax_rate_id">): TaxRoute {
  const keys = Object.entries(policy.tax_rate_map).map(([k, id]) => ({ k, pct: Number(k), id }));
  for (const c of candidates) {
    const hit = keys.find((e) => Math.abs(e.pct - c) <= TOLERANCE + 1e-9);
    if (hit) return { kind: "mapped", taxRateId: hit.id, percent: hit.k };
  }
  return policy.default_tax_rate_id ? { kind: "default", taxRateId: policy.default_tax_rate_id } : { kind: "missing_default" };
}

export function routeLineTax(line: TaxableLine, policy: Pick<Policy, "tax_rate_map" | "default_tax_rate_id">): TaxRoute {
  return routeTax(taxCandidates(line), policy);
}

/** Shipping follows the same rule on (amount, tax); untaxed shipping must carry a 0 % rate (§3.7 §32). */
export function routeShippingTax(amount: number, tax: number, policy: Pick<Policy, "tax_rate_map" | "default_tax_rate_id">): TaxRoute {
  if (toPence(tax) === 0) {
    return { kind: "mapped", taxRateId: policy.tax_rate_map["0.00"] ?? CROSS_BORDER_TAX_RATE_ID, percent: "0.00" };
  }
  return routeTax(amount > 0 ? [(100 * tax) / amount] : [], policy);
}

/** A document is cross-border when its billing country differs from the business's country. */
export function isCrossBorder(billingCountry: string | undefined, businessCountry: string): boolean {
  return !!billingCountry && billingCountry.toUpperCase() !== businessCountry.toUpperCase();
}

export interface EuTypeDecision {
  /** undefined when the destination is outside the EU (the field is omitted) */
  type?: EuGoodsServicesType;
  coerced: boolean;
}

/**
 * One `eu_goods_services_type_id` per document (Sage: "must be the same"). Each line's type comes from
 * the product-type map, else the default; when the lines disagree, all are coerced to the default and
 * the run records `mixed_eu_goods_services_coerced_to_default`.
 */
export function euTypeForDocument(
  billingCountry: string | undefined,
  productTypes: (string | undefined)[],
  policy: Pick<Policy, "product_type_eu_goods_map" | "default_eu_goods_services_type">,
): EuTypeDecision {
  if (!isEu(billingCountry)) return { coerced: false };
  const types = new Set(
    productTypes.map((t) => (t ? policy.product_type_eu_goods_map[t] : undefined) ?? policy.default_eu_goods_services_type),
  );
  if (types.size <= 1) return { type: [...types][0] ?? policy.default_eu_goods_services_type, coerced: false };
  return { type: policy.default_eu_goods_services_type, coerced: true };
}

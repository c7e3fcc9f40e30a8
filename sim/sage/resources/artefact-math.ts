import type { Quirks } from "../config.ts";
import { nearlyEqual, round2, sum } from "../money.ts";
import type { TaxRateDef } from "../reference.ts";
import type { ArtefactLineInput } from "../schemas.ts";
import { num } from "../validation.ts";
import type { Problems } from "./lookup.ts";

/**
 * Server-side document maths (sage-api §8.7): line net = qty × unit price − discount, each amount
 * rounded to 2 dp, totals are sums of rounded lines, shipping VAT from net × rate.
 */
export interface LineAmounts {
  quantity: number;
  unitPrice: number;
  discount: number;
  net: number;
  tax: number;
  total: number;
}

/** The source Sage blames for a line failure: the umbrella field when that quirk is on (§20). */
export const lineSource = (quirks: Quirks, field: string): string =>
  `line_items.${quirks.umbrellaLineErrors ? "description" : field}`;
export const lineMessage = (quirks: Quirks, real: string): string =>
  quirks.umbrellaLineErrors ? "This field is required." : real;

export function lineAmounts(p: Problems, quirks: Quirks, line: ArtefactLineInput, rate: TaxRateDef): LineAmounts {
  const quantity = num(line.quantity, 1);
  const unitPrice = num(line.unit_price);
  const gross = round2(quantity * unitPrice);
  const discount =
    line.discount_amount !== undefined
      ? round2(num(line.discount_amount))
      : line.discount_percentage !== undefined
        ? round2((gross * num(line.discount_percentage)) / 100)
        : 0;
  let tax = 0;
  if (line.tax_amount !== undefined) tax = round2(num(line.tax_amount));
  else if (rate.percentage > 0) {
    // v3.1 requires tax_amount unless the rate is zero/exempt/no-tax (sage-api §4.2).
    p.add("line_items.tax_amount", "This field is required.");
  }
  const net = line.unit_price_includes_tax ? round2(gross - discount - tax) : round2(gross - discount);
  const total = round2(net + tax);
  const invariantBroken =
    (line.net_amount !== undefined && !nearlyEqual(num(line.net_amount), net)) ||
    (line.total_amount !== undefined && !nearlyEqual(num(line.total_amount), total));
  if (invariantBroken) {
    p.add(
      lineSource(quirks, "net_amount"),
      lineMessage(quirks, `does not match quantity × unit_price − discount (expected net ${net}, total ${total})`),
    );
  }
  return { quantity, unitPrice, discount, net, tax, total };
}

export interface Totals {
  net: number;
  tax: number;
  total: number;
  discount: number;
  quantity: number;
  shippingNet: number;
  shippingTax: number;
  shippingTotal: number;
}

export function shippingAmounts(quirks: Quirks, netRaw: number | string | undefined, taxRaw: number | string | undefined, rate: TaxRateDef) {
  const net = round2(num(netRaw));
  const computed = round2((net * rate.percentage) / 100);
  // Sage ignores an explicit shipping_tax_amount and recomputes it from the rate (product-spec §3.7 §32).
  const tax = quirks.recomputeShippingTax || taxRaw === undefined ? computed : round2(num(taxRaw));
  return { net, tax, total: round2(net + tax) };
}

export function totals(lines: LineAmounts[], shipping: { net: number; tax: number; total: number }): Totals {
  const net = sum([...lines.map((l) => l.net), shipping.net]);
  const tax = sum([...lines.map((l) => l.tax), shipping.tax]);
  return {
    net,
    tax,
    total: round2(net + tax),
    discount: sum(lines.map((l) => l.discount)),
    quantity: round2(lines.reduce((a, l) => a + l.quantity, 0)),
    shippingNet: shipping.net,
    shippingTax: shipping.tax,
    shippingTotal: shipping.total,
  };
}

/** A sent header total that disagrees with the lines is the same umbrella error as a line (§20). */
export function checkHeaderTotals(
  p: Problems,
  quirks: Quirks,
  sent: { net_amount?: number | string; tax_amount?: number | string; total_amount?: number | string },
  t: Totals,
): void {
  const pairs: [keyof typeof sent, number][] = [
    ["net_amount", t.net],
    ["tax_amount", t.tax],
    ["total_amount", t.total],
  ];
  for (const [field, expected] of pairs) {
    const v = sent[field];
    if (v !== undefined && !nearlyEqual(num(v), expected)) {
      p.add(quirks.umbrellaLineErrors ? "line_items.description" : field, lineMessage(quirks, `does not match the lines (expected ${expected})`));
    }
  }
}

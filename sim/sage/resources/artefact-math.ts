import type { Quirks } from "../config.ts";
import { round2, sum } from "../money.ts";
import type { TaxRateDef } from "../reference.ts";
import type { ArtefactLineInput } from "../schemas.ts";
import { num } from "../validation.ts";
import type { Problems } from "./lookup.ts";

/**
 * Server-side document maths (sage-api §8.7, §6 item 10, decisions D10): line net =
 * round(qty × unit price, 2) − discount, each amount rounded to 2 dp, totals are sums of rounded
 * lines, shipping VAT from net × rate. Like Sage, posted line and header net/total amounts are
 * ignored: the document carries the emulator's own figures, so a client that sends amounts Sage
 * would not compute sees the drift in the answer (41.625 → 41.63), not a friendly rejection.
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
export const lineSource = (quirks: Quirks, field: string): string => `line_items.${quirks.umbrellaLineErrors ? "description" : field}`;
export const lineMessage = (quirks: Quirks, real: string): string => (quirks.umbrellaLineErrors ? "This field is required." : real);

export function lineAmounts(p: Problems, line: ArtefactLineInput, rate: TaxRateDef): LineAmounts {
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

export function shippingAmounts(
  quirks: Quirks,
  netRaw: number | string | undefined,
  taxRaw: number | string | undefined,
  rate: TaxRateDef,
) {
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

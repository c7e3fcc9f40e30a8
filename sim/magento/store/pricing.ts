import { phpRound } from "../module/php-json.ts";
import type { DocItem, DocTotals, Product } from "./types.ts";

/**
 * Magento-like document maths for the simulated store. Tax is charged after discount (UK default
 * "apply customer tax after discount"), so a discounted 20 % line has tax/row_total below 0.2 —
 * exactly the case decisions D2 routes by candidate percentages.
 */

export const round2 = (n: number): number => phpRound(n, 2);

export interface LineRequest {
  product: Product;
  /** The simple child ordered under a configurable parent. */
  child: Product | null;
  qty: number;
  /** Unit price in the base currency; defaults to special_price, then price. */
  basePrice?: number;
  taxPercent: number;
  discountPercent: number;
}

export function basePriceOf(p: Product): number {
  return p.special_price ?? p.price ?? 0;
}

/**
 * One line's price, row total, discount and tax. With catalogue prices that include tax (a common UK
 * setting) Magento backs the tax out of the row: price = gross ÷ (1 + rate) kept to 4 dp, tax =
 * round(row gross × rate ÷ (1 + rate)), row total = row gross − tax — so 49.95 inc. VAT is a 41.625
 * unit price on a 41.62 row (the penny decisions D10 is about). A discount then applies to the net row.
 */
function lineAmounts(line: LineRequest, rate: number, pricesIncludeTax: boolean) {
  const listed = round2((line.basePrice ?? basePriceOf(line.product)) * rate);
  if (!pricesIncludeTax) {
    const rowTotal = round2(listed * line.qty);
    const discount = round2((rowTotal * line.discountPercent) / 100);
    return { price: listed, rowTotal, discount, tax: round2(((rowTotal - discount) * line.taxPercent) / 100) };
  }
  const rowGross = round2(listed * line.qty);
  const rowTax = round2((rowGross * line.taxPercent) / (100 + line.taxPercent));
  const rowTotal = round2(rowGross - rowTax);
  const discount = round2((rowTotal * line.discountPercent) / 100);
  const tax = discount ? round2(((rowTotal - discount) * line.taxPercent) / 100) : rowTax;
  return { price: phpRound(listed / (1 + line.taxPercent / 100), 4), rowTotal, discount, tax };
}

/** Invoice items in order currency; configurables produce a priced parent row plus a zero child row. */
export function buildItems(lines: LineRequest[], rate: number, pricesIncludeTax = false): DocItem[] {
  const items: DocItem[] = [];
  for (const line of lines) {
    const { price, rowTotal, discount, tax } = lineAmounts(line, rate, pricesIncludeTax);
    const isConfigurable = line.product.type_id === "configurable" && line.child !== null;
    const parentIndex = items.length;
    items.push({
      product_id: line.product.entity_id,
      // Magento's configurable order item carries the chosen child's SKU.
      sku: isConfigurable ? line.child!.sku : line.product.sku,
      name: line.product.name,
      product_type: line.product.type_id,
      qty: line.qty,
      price,
      row_total: rowTotal,
      tax_amount: tax,
      tax_percent: line.taxPercent,
      discount_amount: discount,
      parent_index: null,
    });
    if (isConfigurable) {
      items.push({
        product_id: line.child!.entity_id,
        sku: line.child!.sku,
        name: line.child!.name,
        product_type: line.child!.type_id,
        qty: line.qty,
        price: 0,
        row_total: 0,
        tax_amount: 0,
        tax_percent: line.taxPercent,
        discount_amount: 0,
        parent_index: parentIndex,
      });
    }
  }
  return items;
}

export function documentTotals(
  items: DocItem[],
  shipping: number,
  shippingTax: number,
  adjustmentPositive = 0,
  adjustmentNegative = 0,
): DocTotals {
  const sum = (f: (i: DocItem) => number) => round2(items.reduce((acc, i) => acc + f(i), 0));
  const subtotal = sum((i) => i.row_total);
  const itemTax = sum((i) => i.tax_amount);
  const discount = sum((i) => i.discount_amount);
  const taxAmount = round2(itemTax + shippingTax);
  const discountAmount = discount === 0 ? 0 : -discount;
  return {
    subtotal,
    tax_amount: taxAmount,
    shipping_amount: shipping,
    shipping_tax_amount: shippingTax,
    discount_amount: discountAmount,
    grand_total: round2(subtotal + shipping + taxAmount + discountAmount + adjustmentPositive - adjustmentNegative),
  };
}

export function shippingTaxFor(shipping: number, percent: number): number {
  return round2((shipping * percent) / 100);
}

/**
 * Credit-memo items refunding `qtys[i]` of invoice line i (children follow their parent); amounts
 * are pro-rated from the invoice line so a full refund reproduces the invoice exactly.
 */
export function refundItems(invoiceItems: DocItem[], qtys: Map<number, number>): DocItem[] {
  const out: DocItem[] = [];
  invoiceItems.forEach((item, index) => {
    if (item.parent_index !== null) return;
    const qty = qtys.get(index) ?? 0;
    if (qty <= 0) return;
    const ratio = qty / item.qty;
    const parentIndex = out.length;
    out.push({
      ...item,
      qty,
      row_total: ratio === 1 ? item.row_total : round2(item.price * qty),
      tax_amount: ratio === 1 ? item.tax_amount : round2(item.tax_amount * ratio),
      discount_amount: ratio === 1 ? item.discount_amount : round2(item.discount_amount * ratio),
    });
    invoiceItems.forEach((child) => {
      if (child.parent_index === index) out.push({ ...child, qty, parent_index: parentIndex });
    });
  });
  return out;
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { buildItems, documentTotals, shippingTaxFor } from "./pricing.ts";
import type { Product } from "./types.ts";

/** The simulated store's document maths, including catalogue prices that include tax. */

const product = (price: number): Product => ({
  entity_id: 1,
  sku: "GIFT",
  name: "Gift box",
  type_id: "simple",
  price,
  special_price: null,
  cost: null,
  weight: null,
  tax_class_id: 2,
  has_stock_item: true,
  stock_qty: 10,
  manage_stock: true,
  website_ids: [1],
  child_id: null,
  created_at: new Date(0),
  updated_at: new Date(0),
});

test("prices including tax: 49.95 inc. 20 % VAT is a 41.625 unit on a 41.62 row with 8.33 VAT (the D10 penny)", () => {
  const [item] = buildItems([{ product: product(49.95), child: null, qty: 1, taxPercent: 20, discountPercent: 0 }], 1, true);
  assert.deepEqual([item.price, item.row_total, item.tax_amount, item.discount_amount], [41.625, 41.62, 8.33, 0]);
  const totals = documentTotals([item], 31.5, shippingTaxFor(31.5, 20));
  assert.equal(totals.grand_total, 87.75);
  assert.equal(totals.tax_amount, 14.63);
});

test("prices excluding tax are unchanged: price × qty, discount, VAT after discount", () => {
  const [item] = buildItems([{ product: product(20), child: null, qty: 3, taxPercent: 20, discountPercent: 10 }], 1);
  assert.deepEqual([item.price, item.row_total, item.discount_amount, item.tax_amount], [20, 60, 6, 10.8]);
});

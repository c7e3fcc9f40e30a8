import { test } from "node:test";
import assert from "node:assert/strict";
import { contact, creditMemo, invoice, product } from "@/test/support/magento/canonical";
import { consolidationTarget } from "./b2c";
import { evaluateCreditMemo, evaluateCustomer, evaluateInvoice, evaluatePayment, evaluateProduct } from "./evaluate";
import { parsePolicy, type PolicyInput } from "./schema";

const P = (over: PolicyInput = {}) => parsePolicy(over);
const skip = (reason: string) => ({ action: "skip", reason });
const go = { action: "proceed" };

test("invoice gates: every knob, both values, in the documented priority", () => {
  const table: [string, PolicyInput, Parameters<typeof invoice>[0], object][] = [
    ["defaults sync an open invoice", {}, { state: "open" }, go],
    ["sync_unpaid_invoices=false skips open", { sync_unpaid_invoices: false }, { state: "open" }, skip("unpaid_invoice")],
    ["sync_unpaid_invoices=false keeps paid", { sync_unpaid_invoices: false }, { state: "paid" }, go],
    ["zero value synced by default", {}, { grand_total: 0 }, go],
    ["sync_zero_value_invoices=false skips £0", { sync_zero_value_invoices: false }, { grand_total: 0 }, skip("zero_value_invoice")],
    ["sync_zero_value_invoices=false keeps 0.01", { sync_zero_value_invoices: false }, { grand_total: 0.01 }, go],
    ["sync_since before → skip", { sync_since: "2026-05-01T00:00:00Z" }, {}, skip("outside_sync_since")],
    ["sync_since after → sync", { sync_since: "2026-04-30T11:00:00Z" }, {}, go],
    ["website filter miss", { website_filter: [2] }, {}, skip("website_filtered")],
    ["website filter hit", { website_filter: [1, 2] }, {}, go],
    ["store filter miss", { store_filter: [3] }, {}, skip("store_filtered")],
    ["store filter hit", { store_filter: [1] }, {}, go],
    [
      "priority: unpaid before zero before since",
      { sync_unpaid_invoices: false, sync_zero_value_invoices: false, sync_since: "2027-01-01T00:00:00Z" },
      { state: "open", grand_total: 0 },
      skip("unpaid_invoice"),
    ],
    [
      "priority: zero before since",
      { sync_zero_value_invoices: false, sync_since: "2027-01-01T00:00:00Z" },
      { grand_total: 0 },
      skip("zero_value_invoice"),
    ],
    ["priority: since before website", { sync_since: "2027-01-01T00:00:00Z", website_filter: [9] }, {}, skip("outside_sync_since")],
  ];
  for (const [name, policy, inv, expected] of table) assert.deepEqual(evaluateInvoice(invoice(inv), P(policy)), expected, name);
});

test("payment: the four-step payment-method map", () => {
  const inv = invoice({ state: "paid" });
  assert.deepEqual(evaluatePayment(inv, "stripe", P({ payment_method_map: { stripe: "BANK_1" } })), {
    action: "proceed",
    bankAccountId: "BANK_1",
  });
  assert.deepEqual(
    evaluatePayment(inv, "checkmo", P({ payment_method_map: { checkmo: null }, default_bank_account_id: "BANK_D" })),
    skip("payment_method_not_mapped"),
  );
  assert.deepEqual(evaluatePayment(inv, "paypal", P({ default_bank_account_id: "BANK_D" })), {
    action: "proceed",
    bankAccountId: "BANK_D",
  });
  assert.deepEqual(evaluatePayment(inv, "paypal", P()), skip("payment_method_not_mapped"));
  // a payment follows its invoice's gates, except "unpaid"
  assert.deepEqual(evaluatePayment(inv, "stripe", P({ sync_unpaid_invoices: false, payment_method_map: { stripe: "B" } })), {
    action: "proceed",
    bankAccountId: "B",
  });
  assert.deepEqual(
    evaluatePayment(invoice({ grand_total: 0 }), "stripe", P({ sync_zero_value_invoices: false, payment_method_map: { stripe: "B" } })),
    skip("zero_value_invoice"),
  );
});

test("credit memo: sync_since on the memo's date and the website/store of its origin", () => {
  assert.deepEqual(evaluateCreditMemo(creditMemo(), { websiteId: 1, storeId: 1 }, P()), go);
  assert.deepEqual(
    evaluateCreditMemo(creditMemo(), { websiteId: 1, storeId: 1 }, P({ sync_since: "2026-06-01T00:00:00Z" })),
    skip("outside_sync_since"),
  );
  assert.deepEqual(evaluateCreditMemo(creditMemo(), { websiteId: 1, storeId: 1 }, P({ website_filter: [2] })), skip("website_filtered"));
  assert.deepEqual(evaluateCreditMemo(creditMemo(), { websiteId: 1, storeId: 1 }, P({ store_filter: [2] })), skip("store_filtered"));
});

test("customer: only the website filter applies", () => {
  assert.deepEqual(evaluateCustomer(contact(), P({ store_filter: [9] })), go);
  assert.deepEqual(evaluateCustomer(contact(), P({ website_filter: [2] })), skip("website_filtered"));
});

test("product: sync_products, type routing, sync_stock", () => {
  const on = { sync_products: true };
  assert.deepEqual(evaluateProduct(product(), P()), skip("products_sync_disabled"));
  assert.deepEqual(evaluateProduct(product(), P(on)), { action: "proceed", route: "product" });
  assert.deepEqual(evaluateProduct(product(), P({ ...on, sync_stock: true })), { action: "proceed", route: "stock_item" });
  assert.deepEqual(evaluateProduct(product({ manage_stock: false }), P({ ...on, sync_stock: true })), {
    action: "proceed",
    route: "product",
  });
  assert.deepEqual(evaluateProduct(product({ product_type: "virtual" }), P({ ...on, sync_stock: true })), {
    action: "proceed",
    route: "service",
  });
  assert.deepEqual(evaluateProduct(product({ product_type: "downloadable" }), P(on)), { action: "proceed", route: "service" });
  for (const t of ["configurable", "bundle", "grouped"])
    assert.deepEqual(evaluateProduct(product({ product_type: t }), P(on)), skip("product_type_not_supported"));
  assert.deepEqual(evaluateProduct(product({ website_ids: [3] }), P({ ...on, website_filter: [1] })), skip("website_filtered"));
});

test("B2C consolidation: first matching rule wins", () => {
  const b2c = (over: object = {}) => P({ b2c_consolidation: { enabled: true, min_total_for_individual: 100, ...over } }).b2c_consolidation;
  const guest = { magento_id: 0 };
  assert.equal(consolidationTarget(guest, 10, false, P().b2c_consolidation), "individual", "disabled");
  assert.equal(consolidationTarget({ ...guest, company: "Acme" }, 10, false, b2c()), "individual", "B2B");
  assert.equal(
    consolidationTarget({ ...guest, company: "Acme" }, 10, false, b2c({ always_individual_for_b2b: false })),
    "fallback",
    "B2B rule off",
  );
  assert.equal(consolidationTarget(guest, 10, true, b2c()), "individual", "repeat customer");
  assert.equal(consolidationTarget({ magento_id: 5 }, 10, false, b2c()), "individual", "a registered account is a repeat customer");
  assert.equal(consolidationTarget(guest, 100, false, b2c()), "individual", "at threshold");
  assert.equal(consolidationTarget(guest, 99.99, false, b2c()), "fallback", "below threshold");
  assert.equal(consolidationTarget(guest, 5000, false, b2c({ min_total_for_individual: 0 })), "fallback", "threshold 0 = off");
});

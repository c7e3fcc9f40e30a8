import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalTaxKey, defaultPolicy, parsePolicy } from "./schema";

test("defaults match product-spec §1.3", () => {
  const p = defaultPolicy();
  assert.equal(p.sync_unpaid_invoices, true);
  assert.equal(p.sync_zero_value_invoices, true);
  assert.equal(p.sync_since, null);
  assert.deepEqual(p.website_filter, []);
  assert.equal(p.sync_products, false);
  assert.equal(p.sync_stock, false);
  assert.deepEqual(p.tax_rate_map, { "20.00": "GB_STANDARD", "5.00": "GB_LOWER", "0.00": "GB_ZERO" });
  assert.equal(p.customer_name_priority, "Company");
  assert.equal(p.default_eu_goods_services_type, "GOODS");
  assert.equal(p.product_type_eu_goods_map.virtual, "SERVICES");
  assert.deepEqual(p.b2c_consolidation, {
    enabled: false,
    fallback_contact_name: "Magento Web Sales",
    fallback_contact_email: "sales@your-shop.example.com",
    fallback_contact_reference: "WEBSALES",
    min_total_for_individual: 0,
    always_individual_for_b2b: true,
  });
});

test("tax-rate map keys are canonicalised to %.2f", () => {
  assert.equal(canonicalTaxKey(" 20.0 "), "20.00");
  assert.equal(canonicalTaxKey("5"), "5.00");
  assert.equal(canonicalTaxKey("0"), "0.00");
  assert.equal(canonicalTaxKey("-1"), null);
  assert.equal(canonicalTaxKey("abc"), null);
  assert.deepEqual(parsePolicy({ tax_rate_map: { "20": "GB_STANDARD", " 5.0": "GB_LOWER" } }).tax_rate_map, {
    "20.00": "GB_STANDARD",
    "5.00": "GB_LOWER",
  });
  assert.throws(() => parsePolicy({ tax_rate_map: { twenty: "GB_STANDARD" } }), /invalid_format/);
});

test("null filters mean no filter; an empty prefix means none", () => {
  const p = parsePolicy({ website_filter: null, store_filter: null, invoice_number_prefix: "" });
  assert.deepEqual(p.website_filter, []);
  assert.deepEqual(p.store_filter, []);
  assert.equal(p.invoice_number_prefix, null);
});

test("bad shapes are rejected", () => {
  assert.throws(() => parsePolicy({ sync_since: "yesterday" }));
  assert.throws(() => parsePolicy({ customer_name_priority: "Nickname" }));
  assert.throws(() => parsePolicy({ default_eu_goods_services_type: "OUT_OF_RANGE" }));
  assert.throws(() => parsePolicy({ b2c_consolidation: { fallback_contact_reference: "TOOLONGREF" } }));
  assert.throws(() => parsePolicy({ website_filter: [-1] }));
});

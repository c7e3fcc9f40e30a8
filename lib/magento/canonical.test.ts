import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  contactSchema,
  creditMemoSchema,
  invoiceSchema,
  paymentMethodListSchema,
  paymentSchema,
  pingSchema,
  productSchema,
} from "./canonical";
import {
  CONTACT_5,
  CREDIT_MEMO_9,
  GUEST_CONTACT,
  INVOICE_8_5,
  PAYMENT_42,
  PAYMENT_METHODS,
  PRODUCT_7,
} from "../../test/support/magento/wire-bodies";

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe("canonical invoice", () => {
  it("parses the §8.5 example with whole floats as numbers and omitted optionals", () => {
    const inv = invoiceSchema.parse(parse(INVOICE_8_5));
    assert.equal(inv.magento_id, 42);
    assert.equal(inv.state, "paid");
    assert.equal(inv.grand_total, 46.8);
    assert.equal(inv.subtotal, 34);
    assert.equal(inv.base_to_order_rate, 1);
    assert.equal(inv.shipping_address, undefined);
    assert.equal(inv.po_number, undefined);
    assert.equal(inv.customer.group_id, 1);
    assert.deepEqual(inv.lines[0], {
      sku: "MB01",
      name: "Bag",
      qty: 1,
      unit_price: 34,
      line_subtotal: 34,
      line_tax: 6.8,
      line_total: 40.8,
      tax_rate: 0.2,
      product_type: "simple",
    });
    assert.deepEqual(inv.billing_address, { kind: "billing", street: ["1 High St"], city: "Leeds", postcode: "LS1 1AA", country_id: "GB" });
  });

  it("reads an explicit null like an omitted field", () => {
    const body = { ...parse(INVOICE_8_5), po_number: null, base_to_order_rate: null };
    const inv = invoiceSchema.parse(body);
    assert.equal(inv.po_number, undefined);
    assert.equal(inv.base_to_order_rate, undefined);
  });

  it("drops unknown keys from a newer module", () => {
    const inv = invoiceSchema.parse({ ...parse(INVOICE_8_5), brand_new_field: 1 });
    assert.equal("brand_new_field" in inv, false);
  });

  it("accepts a negative document discount and an empty created_at", () => {
    const inv = invoiceSchema.parse({ ...parse(INVOICE_8_5), discount_amount: -5, created_at: "" });
    assert.equal(inv.discount_amount, -5);
    assert.equal(inv.created_at, "");
  });

  it("rejects an amount sent as a string, a missing required field and an unknown state", () => {
    assert.equal(invoiceSchema.safeParse({ ...parse(INVOICE_8_5), grand_total: "46.8" }).success, false);
    const noCurrency = parse(INVOICE_8_5);
    delete noCurrency.currency;
    assert.equal(invoiceSchema.safeParse(noCurrency).success, false);
    assert.equal(invoiceSchema.safeParse({ ...parse(INVOICE_8_5), state: "refunded" }).success, false);
    assert.equal(invoiceSchema.safeParse({ ...parse(INVOICE_8_5), magento_id: 4.2 }).success, false);
  });
});

describe("canonical contact and address", () => {
  it("parses a synthetic guest (magento_id 0, website 0, no group)", () => {
    const c = contactSchema.parse(parse(GUEST_CONTACT));
    assert.equal(c.magento_id, 0);
    assert.equal(c.group_id, undefined);
    assert.equal(c.company, "Acme Ltd");
    assert.deepEqual(c.addresses[0].street, ["2 Low Rd", "Flat 3"]);
    assert.equal(c.addresses[0].telephone, "01904");
  });

  it("keeps an address that is both default billing and shipping as two entries", () => {
    const c = contactSchema.parse(parse(CONTACT_5));
    assert.deepEqual(
      c.addresses.map((a) => a.kind),
      ["billing", "shipping"],
    );
  });

  it("rejects an unknown address kind and a street given as a string", () => {
    const addr = { kind: "billing", street: ["x"], city: "c", country_id: "GB" };
    assert.equal(contactSchema.safeParse({ ...parse(GUEST_CONTACT), addresses: [{ ...addr, kind: "home" }] }).success, false);
    assert.equal(contactSchema.safeParse({ ...parse(GUEST_CONTACT), addresses: [{ ...addr, street: "x" }] }).success, false);
  });
});

describe("canonical credit memo, payment, product", () => {
  it("parses a memo refunded from the order (no invoice link)", () => {
    const m = creditMemoSchema.parse(parse(CREDIT_MEMO_9));
    assert.equal(m.invoice_id, undefined);
    assert.equal(m.adjustment_negative, 2.5);
    assert.equal(m.base_to_order_rate, 1.17);
    assert.equal(m.lines[0].tax_rate, undefined);
  });

  it("keeps gateway_metadata as an opaque list (keys dropped, nested arrays stringified)", () => {
    const p = paymentSchema.parse(parse(PAYMENT_42));
    assert.deepEqual(p.gateway_metadata, ["card", '{"brand":"visa","last4":"4242"}', true]);
    assert.equal(p.amount, 46.8);
    assert.equal(paymentSchema.parse({ ...parse(PAYMENT_42), gateway_metadata: [] }).gateway_metadata?.length, 0);
    assert.deepEqual(paymentSchema.parse({ ...parse(PAYMENT_42), gateway_metadata: { a: 1 } }).gateway_metadata, { a: 1 });
  });

  it("parses a product without a stock item", () => {
    const p = productSchema.parse(parse(PRODUCT_7));
    assert.equal(p.stock_qty, undefined);
    assert.equal(p.manage_stock, false);
    assert.equal(p.special_price, undefined);
    assert.deepEqual(p.website_ids, [1, 2]);
    assert.equal(productSchema.safeParse({ ...parse(PRODUCT_7), tax_class: 2 }).success, false);
  });
});

describe("payment methods and ping", () => {
  it("keeps label null (Magento emits it here) and treats an absent label the same", () => {
    const list = paymentMethodListSchema.parse(JSON.parse(PAYMENT_METHODS));
    assert.deepEqual(list, [
      { code: "checkmo", label: "Check / Money order", is_active: true },
      { code: "banktransfer", label: null, is_active: false },
    ]);
    assert.deepEqual(paymentMethodListSchema.parse([{ code: "x", is_active: true }]), [{ code: "x", label: null, is_active: true }]);
    assert.equal(paymentMethodListSchema.safeParse([{ code: "", label: null, is_active: true }]).success, false);
  });

  it("reads ping as the stock 3-element list or as an object", () => {
    const expected = { ok: true, tenant_id: "t-1", server_time: "2026-04-30T12:00:00+00:00" };
    assert.deepEqual(pingSchema.parse([true, "t-1", "2026-04-30T12:00:00+00:00"]), expected);
    assert.deepEqual(pingSchema.parse(expected), expected);
    assert.equal(pingSchema.safeParse([true, "t-1"]).success, false);
  });
});

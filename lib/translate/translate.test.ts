import { test } from "node:test";
import assert from "node:assert/strict";
import { SyncError } from "@/lib/errors";
import { parsePolicy, type PolicyInput } from "@/lib/policy/schema";
import { salesCreditNoteCreateInput, salesInvoiceCreateInput } from "@/lib/sage/schemas";
import { contact, creditMemo, invoice, line, product } from "@/test/support/magento/canonical";
import { contactPayload, contactReference, fallbackContactPayload } from "./contact";
import { translateCreditNote } from "./credit-note";
import { translateInvoice } from "./invoice";
import { translatePayment } from "./payment";
import { translateProduct } from "./product";
import { documentReference, exchangeRate } from "./reference";
import { routeLineTax } from "./tax";
import { decodeEntities } from "./text";

const policy = (over: PolicyInput = {}) =>
  parsePolicy({ default_ledger_account_id: "LEDGER_4000", default_tax_rate_id: "GB_STANDARD", invoice_number_prefix: "MAG-", ...over });
const ctx = (over: PolicyInput = {}) => ({
  policy: policy(over),
  businessCountry: "GB",
  baseCurrency: "GBP",
  contactId: "C1",
  now: new Date("2026-05-01T00:00:00Z"),
});
const leeds = { address_line_1: "1 High St", city: "Leeds", postal_code: "LS1 1AA", country_id: "GB" };

test("the spec's example invoice (wire-protocol §8.5) → exact Sage payload", () => {
  const out = translateInvoice(invoice(), ctx());
  assert.deepEqual(out.payload, {
    contact_id: "C1",
    date: "2026-04-30",
    reference: "MAG-000000042",
    currency_id: "GBP",
    main_address: leeds,
    delivery_address: leeds,
    shipping_net_amount: 5,
    shipping_tax_rate_id: "GB_STANDARD",
    shipping_tax_amount: 1,
    invoice_lines: [
      {
        description: "Bag",
        ledger_account_id: "LEDGER_4000",
        quantity: 1,
        unit_price: 34,
        net_amount: 34,
        tax_rate_id: "GB_STANDARD",
        tax_amount: 6.8,
        total_amount: 40.8,
      },
    ],
  });
  assert.equal(out.totalPence, 4680, "equals Magento's grand total to the penny");
  assert.deepEqual(out.warnings, []);
  assert.ok(salesInvoiceCreateInput.safeParse(out.payload).success, "passes the Sage request schema");
});

test("D2: discounted reduced-rate, zero-rated and unmapped lines route correctly", () => {
  const map = policy().tax_rate_map;
  const p = { tax_rate_map: map, default_tax_rate_id: "GB_STANDARD" };
  // 5 % charged after a 10 discount: Magento's tax_rate is 4.5/100 = 0.045 → candidate 2 finds 5.00
  assert.deepEqual(routeLineTax({ line_subtotal: 100, line_tax: 4.5, line_total: 94.5, tax_rate: 0.045 }, p), {
    kind: "mapped",
    taxRateId: "GB_LOWER",
    percent: "5.00",
  });
  // zero tax: Magento omits tax_rate → candidate 0 → GB_ZERO
  assert.deepEqual(routeLineTax({ line_subtotal: 10, line_tax: 0, line_total: 10 }, p), {
    kind: "mapped",
    taxRateId: "GB_ZERO",
    percent: "0.00",
  });
  // 12.5 % is not in the map → default
  assert.deepEqual(routeLineTax({ line_subtotal: 100, line_tax: 12.5, line_total: 112.5, tax_rate: 0.125 }, p), {
    kind: "default",
    taxRateId: "GB_STANDARD",
  });
  assert.deepEqual(
    routeLineTax({ line_subtotal: 100, line_tax: 12.5, line_total: 112.5 }, { tax_rate_map: map, default_tax_rate_id: null }),
    { kind: "missing_default" },
  );
});

test("line discounts and a shipping discount still total Magento's grand total exactly", () => {
  // 100 net, 10 line discount, 20 % VAT on 90 = 18; shipping 10 with a 2 shipping discount; grand = 116
  const inv = invoice({
    lines: [line({ qty: 2, unit_price: 50, line_subtotal: 100, line_tax: 18, line_total: 108, tax_rate: 0.18 })],
    shipping_amount: 10,
    shipping_tax_amount: 0,
    discount_amount: -12,
    grand_total: 116,
  });
  const out = translateInvoice(inv, ctx());
  assert.deepEqual(out.payload.invoice_lines[0], {
    description: "Bag",
    ledger_account_id: "LEDGER_4000",
    quantity: 2,
    unit_price: 50,
    discount_amount: 10,
    net_amount: 90,
    tax_rate_id: "GB_STANDARD",
    tax_amount: 18,
    total_amount: 108,
  });
  assert.equal(out.payload.shipping_net_amount, 8, "shipping discount taken off shipping");
  assert.equal(out.payload.shipping_tax_rate_id, "GB_ZERO", "untaxed shipping forced to a 0 % rate (§3.7 §32)");
  assert.equal(out.totalPence, 11600);
});

test("an order-level difference that does not fit shipping becomes one adjustment line", () => {
  const inv = invoice({ shipping_amount: 0, shipping_tax_amount: 0, grand_total: 35.8, discount_amount: -5 });
  const out = translateInvoice(inv, ctx());
  const adj = out.payload.invoice_lines[1];
  assert.equal(adj.description, "Order discount");
  assert.equal(adj.net_amount, -5);
  assert.equal(adj.tax_rate_id, "GB_ZERO");
  assert.equal(out.totalPence, 3580);
});

test("cross-border EUR invoice to France: GB_ZERO everywhere, exchange rate unchanged (D1), one EU type", () => {
  const fr = { kind: "billing" as const, street: ["2 Rue X"], city: "Paris", postcode: "75001", country_id: "FR" };
  const inv = invoice({
    currency: "EUR",
    base_to_order_rate: 1.17,
    billing_address: fr,
    customer: contact({ addresses: [fr] }),
    lines: [
      line({ line_tax: 0, line_total: 34, tax_rate: undefined }),
      line({
        sku: "EB1",
        name: "E-book",
        product_type: "downloadable",
        unit_price: 10,
        line_subtotal: 10,
        line_tax: 0,
        line_total: 10,
        tax_rate: undefined,
      }),
    ],
    shipping_amount: 5,
    shipping_tax_amount: 0,
    grand_total: 49,
  });
  const out = translateInvoice(inv, ctx());
  assert.equal(out.payload.exchange_rate, 1.17);
  assert.equal(out.payload.currency_id, "EUR");
  assert.deepEqual(
    out.payload.invoice_lines.map((l) => [l.tax_rate_id, l.eu_goods_services_type_id]),
    [
      ["GB_ZERO", "GOODS"],
      ["GB_ZERO", "GOODS"],
    ],
  );
  assert.equal(out.payload.shipping_tax_rate_id, "GB_ZERO");
  assert.deepEqual(out.warnings, ["mixed_eu_goods_services_coerced_to_default"], "GOODS + SERVICES coerced to the default");
  // all services → SERVICES without a warning
  const services = translateInvoice({ ...inv, lines: [inv.lines[1]], grand_total: 15 }, ctx());
  assert.equal(services.payload.invoice_lines[0].eu_goods_services_type_id, "SERVICES");
  assert.deepEqual(services.warnings, []);
});

test("cross-border outside the EU (US): GB_ZERO, no EU type; base-currency rate 1 omitted", () => {
  const us = { kind: "billing" as const, street: ["1 Main St"], city: "Austin", region: "TX", postcode: "73301", country_id: "US" };
  const out = translateInvoice(
    invoice({
      currency: "USD",
      base_to_order_rate: 1.27,
      billing_address: us,
      lines: [line({ line_tax: 0, line_total: 34 })],
      shipping_tax_amount: 0,
      grand_total: 39,
    }),
    ctx(),
  );
  assert.equal(out.payload.invoice_lines[0].tax_rate_id, "GB_ZERO");
  assert.equal("eu_goods_services_type_id" in out.payload.invoice_lines[0], false);
  assert.equal(exchangeRate("GBP", "GBP", 1.17), undefined);
  assert.equal(exchangeRate("EUR", "GBP", 1), undefined);
  assert.equal(exchangeRate("EUR", "GBP", 1.123456789012), 1.123456789);
});

test("references: prefix never doubles; HTML entities decoded; PO in notes", () => {
  assert.equal(documentReference("MAG-", "100012345"), "MAG-100012345");
  assert.equal(documentReference("MAG-", "MAG-100012345"), "MAG-100012345");
  assert.equal(documentReference(null, "100012345"), "100012345");
  assert.equal(decodeEntities("Widget&trade; &amp; Fish &#38; Chips &amp;trade;"), "Widget™ & Fish & Chips ™");
  const out = translateInvoice(invoice({ po_number: "PO-77", lines: [line({ name: "Gizmo&reg;" })] }), ctx());
  assert.equal(out.payload.notes, "Purchase Order: PO-77");
  assert.equal(out.payload.invoice_lines[0].description, "Gizmo®");
});

test("a missing default ledger account is a validation error naming the setting", () => {
  assert.throws(
    () => translateInvoice(invoice(), { ...ctx(), policy: policy({ default_ledger_account_id: null }) }),
    (e: unknown) => e instanceof SyncError && e.syncClass === "validation" && /Default Mappings/.test(e.message),
  );
});

test("credit note: adjustments as lines, original invoice date, notes, reference prefix", () => {
  // refund the bag (40.8) + 5 adjustment refund − 2 adjustment fee = 43.8
  const out = translateCreditNote(
    creditMemo({ adjustment_positive: 5, adjustment_negative: 2, grand_total: 43.8, reason: "Damaged" }),
    ctx(),
  );
  assert.equal(out.payload.reference, "MAG-000000007");
  assert.equal(out.payload.original_invoice_date, "2026-04-30");
  assert.equal(out.payload.notes, "Credit for invoice 000000042 — Damaged");
  assert.deepEqual(
    out.payload.credit_note_lines.map((l) => [l.description, l.total_amount]),
    [
      ["Bag", 40.8],
      ["Adjustment refund", 5],
      ["Adjustment fee", -2],
    ],
  );
  assert.equal(out.totalPence, 4380);
  assert.ok(salesCreditNoteCreateInput.safeParse(out.payload).success);
});

test("contacts: reference scheme, per-currency variants, name priority (D6)", () => {
  assert.equal(contactReference(contact(), "GBP", "GBP"), "M5");
  assert.equal(contactReference(contact(), "EUR", "GBP"), "M5E");
  const guest = contact({ magento_id: 0, email: "Guest@Example.com" });
  assert.match(contactReference(guest, "GBP", "GBP"), /^G[0-9a-f]{9}$/);
  assert.match(contactReference(guest, "USD", "GBP"), /^G[0-9a-f]{8}U$/);
  assert.equal(contactReference(guest, "GBP", "GBP").slice(1, 9), contactReference(guest, "USD", "GBP").slice(1, 9));

  const b2b = contact({ company: "Acme Ltd" });
  const company = contactPayload(b2b, { currency: "EUR", baseCurrency: "GBP", policy: { customer_name_priority: "Company" } });
  assert.equal(company.name, "Acme Ltd (EUR)");
  assert.equal(company.main_contact_person?.name, "Jo Bloggs");
  assert.equal(company.currency_id, "EUR");
  assert.equal(company.main_address?.name, undefined);
  const person = contactPayload(b2b, { currency: "GBP", baseCurrency: "GBP", policy: { customer_name_priority: "Person" } });
  assert.equal(person.name, "Jo Bloggs");
  assert.equal(person.main_address?.name, "Acme Ltd");
  assert.equal(person.main_contact_person?.email, "jo@example.com");

  const fb = fallbackContactPayload(policy().b2c_consolidation, "EUR", "GBP");
  assert.equal(fb.reference, "WEBSALESE");
  assert.equal(fb.name, "Magento Web Sales (EUR)");
  assert.equal(fb.main_address, undefined);
});

test("payment: receipt in the invoice's currency and rate, allocated to the invoice", () => {
  const p = translatePayment(
    {
      magento_id: 42,
      invoice_id: 42,
      invoice_increment_id: "000000042",
      method: "stripe",
      currency: "EUR",
      amount: 58.5,
      captured_at: "2026-04-30T12:05:00Z",
    },
    {
      contactId: "C1",
      bankAccountId: "B1",
      invoiceSageId: "SI_1",
      reference: "MAG-000000042",
      currency: "EUR",
      exchangeRate: 1.17,
      amountPence: 5850,
      now: new Date(),
    },
  );
  assert.deepEqual(p, {
    transaction_type_id: "CUSTOMER_RECEIPT",
    contact_id: "C1",
    bank_account_id: "B1",
    date: "2026-04-30",
    total_amount: 58.5,
    reference: "MAG-000000042",
    currency_id: "EUR",
    exchange_rate: 1.17,
    allocated_artefacts: [{ artefact_id: "SI_1", amount: 58.5 }],
  });
});

test("products: product / service / stock item payloads; purchase account required", () => {
  const pol = policy({ default_purchase_ledger_account_id: "LEDGER_5000" });
  assert.deepEqual(translateProduct(product(), "product", pol), {
    route: "product",
    payload: {
      item_code: "MB01",
      description: "Bag",
      sales_ledger_account_id: "LEDGER_4000",
      purchase_ledger_account_id: "LEDGER_5000",
      sales_prices: [{ price_name: "Selling Price", price: 34, price_includes_tax: false }],
      cost_price: 12.5,
    },
  });
  assert.equal(translateProduct(product({ product_type: "virtual" }), "service", policy()).route, "service");
  assert.equal(translateProduct(product(), "stock_item", pol).route, "stock_item");
  assert.throws(() => translateProduct(product(), "product", policy()), /purchase ledger account/);
});

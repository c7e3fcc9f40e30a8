import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import * as s from "./schemas";

const LEDGER = "9a994b92267a11e797950a57719b2edb";
const CONTACT = "44a60404cfec4b189f1052be8141d2c8";

const ok = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  assert.ok(r.success, r.success ? "" : z.prettifyError(r.error));
};
const failsAt = (schema: z.ZodType, value: unknown, path: string) => {
  const r = schema.safeParse(value);
  assert.equal(r.success, false, `expected failure at ${path}`);
  assert.ok(
    r.error!.issues.some((i) => i.path.join(".") === path),
    `no issue at ${path}: ${z.prettifyError(r.error!)}`,
  );
};

const contact = {
  name: "Acme Trading Ltd",
  contact_type_ids: ["CUSTOMER"],
  reference: "M5E",
  currency_id: "EUR",
  main_address: {
    address_line_1: "1 High Street",
    city: "London",
    postal_code: "SW1A 1AA",
    region: "Greater London",
    country_id: "GB",
    name: "Acme",
  },
  main_contact_person: { name: "Jane Doe", email: "jane@example.com", telephone: "+44 20 7946 0000" },
};

const line = {
  description: "Blue mug",
  ledger_account_id: LEDGER,
  unit_price: 10,
  quantity: 2,
  tax_rate_id: "GB_STANDARD",
  tax_amount: 4,
  discount_amount: 0,
};

describe("request schemas accept the payloads we send", () => {
  it("D6 contact", () => ok(s.contactCreateInput, contact));
  it("sales invoice with shipping panel and both addresses", () =>
    ok(s.salesInvoiceCreateInput, {
      contact_id: CONTACT,
      date: "2026-05-01",
      due_date: "2026-05-31",
      reference: "INV-100000042",
      currency_id: "EUR",
      exchange_rate: 1.17,
      main_address: { address_line_1: "1 Rue X", city: "Paris", postal_code: "75001", country_id: "FR" },
      delivery_address: { address_line_1: "1 Rue X", city: "Paris", postal_code: "75001", country_id: "FR" },
      notes: "Purchase Order: PO-9",
      shipping_net_amount: 5,
      shipping_tax_rate_id: "GB_ZERO",
      invoice_lines: [{ ...line, tax_rate_id: "GB_ZERO", tax_amount: 0, eu_goods_services_type_id: "GOODS" }],
    }));
  it("sales credit note", () =>
    ok(s.salesCreditNoteCreateInput, {
      contact_id: CONTACT,
      date: "2026-05-02",
      original_invoice_date: "2026-05-01",
      reference: "CM-100000007",
      credit_note_lines: [line],
    }));
  it("customer receipt allocated to an invoice", () =>
    ok(s.contactPaymentCreateInput, {
      transaction_type_id: "CUSTOMER_RECEIPT",
      contact_id: CONTACT,
      bank_account_id: "bank1",
      date: "2026-05-03",
      total_amount: 24,
      payment_method_id: "CREDIT_DEBIT",
      allocated_artefacts: [{ artefact_id: "inv1", amount: 24 }],
    }));
  it("allocation netting a credit note against an invoice", () =>
    ok(s.contactAllocationCreateInput, {
      transaction_type_id: "CUSTOMER_ALLOCATION",
      contact_id: CONTACT,
      date: "2026-05-03",
      allocated_artefacts: [
        { artefact_id: "inv1", amount: 12 },
        { artefact_id: "cn1", amount: -12 },
      ],
    }));
  it("product, service, stock item, stock movement", () => {
    ok(s.productCreateInput, {
      description: "Blue mug",
      item_code: "MUG-BLUE",
      sales_ledger_account_id: LEDGER,
      purchase_ledger_account_id: LEDGER,
      sales_prices: [{ price_name: "Selling Price", price: 10, price_includes_tax: false }],
    });
    ok(s.serviceCreateInput, {
      description: "Gift wrap",
      item_code: "WRAP",
      sales_ledger_account_id: LEDGER,
      sales_rates: [{ rate_name: "Standard", rate: 2.5 }],
    });
    ok(s.stockItemCreateInput, {
      item_code: "MUG-BLUE",
      description: "Blue mug",
      sales_ledger_account_id: LEDGER,
      purchase_ledger_account_id: LEDGER,
      cost_price: 3.2,
    });
    ok(s.stockMovementCreateInput, {
      stock_item_id: "si1",
      date: "2026-05-01",
      quantity: -3,
      cost_price: 3.2,
      details: "Magento stock sync",
    });
  });
  it("partial updates", () => {
    ok(s.contactUpdateInput, { name: "Acme Trading Ltd" });
    ok(s.productUpdateInput, { active: false });
  });
});

describe("request schemas reject what Sage would refuse", () => {
  it("D6: first_name/last_name/company/currency_tax_amount do not exist in v3.1", () => {
    assert.equal(s.contactCreateInput.safeParse({ ...contact, first_name: "Jane" }).success, false);
    assert.equal(s.contactCreateInput.safeParse({ ...contact, main_address: { company: "Acme" } }).success, false);
    assert.equal(
      s.salesInvoiceCreateInput.safeParse({ contact_id: CONTACT, date: "2026-05-01", invoice_lines: [{ ...line, currency_tax_amount: 4 }] })
        .success,
      false,
    );
  });
  it("max lengths from the 2025 Swagger", () => {
    failsAt(s.contactCreateInput, { ...contact, reference: "M1234567890" }, "reference");
    failsAt(s.contactCreateInput, { ...contact, main_address: { postal_code: "12345678901" } }, "main_address.postal_code");
    failsAt(s.contactCreateInput, { ...contact, name: "x".repeat(101) }, "name");
    failsAt(
      s.salesInvoiceCreateInput,
      { contact_id: CONTACT, date: "2026-05-01", reference: "x".repeat(26), invoice_lines: [line] },
      "reference",
    );
    failsAt(
      s.stockItemCreateInput,
      { item_code: "x".repeat(31), description: "d", sales_ledger_account_id: LEDGER, purchase_ledger_account_id: LEDGER },
      "item_code",
    );
    failsAt(
      s.stockMovementCreateInput,
      { stock_item_id: "si1", date: "2026-05-01", quantity: 1, cost_price: 1, details: "x".repeat(51) },
      "details",
    );
  });
  it("required fields", () => {
    failsAt(s.salesInvoiceCreateInput, { contact_id: CONTACT, date: "2026-05-01", invoice_lines: [] }, "invoice_lines");
    failsAt(
      s.salesInvoiceCreateInput,
      { contact_id: CONTACT, date: "2026-05-01", invoice_lines: [{ description: "x", unit_price: 1 }] },
      "invoice_lines.0.ledger_account_id",
    );
    failsAt(s.productCreateInput, { description: "Mug", sales_ledger_account_id: LEDGER }, "purchase_ledger_account_id");
    failsAt(
      s.contactPaymentCreateInput,
      { transaction_type_id: "CUSTOMER_RECEIPT", contact_id: CONTACT, date: "2026-05-03", total_amount: 1 },
      "bank_account_id",
    );
  });
  it("dates are YYYY-MM-DD and money is a number", () => {
    failsAt(s.salesCreditNoteCreateInput, { contact_id: CONTACT, date: "01/05/2026", credit_note_lines: [line] }, "date");
    failsAt(
      s.salesCreditNoteCreateInput,
      { contact_id: CONTACT, date: "2026-05-01", credit_note_lines: [{ ...line, unit_price: "10.00" }] },
      "credit_note_lines.0.unit_price",
    );
  });
});

describe("response schemas read what Sage returns", () => {
  it("invoice: money as strings or numbers, extra fields tolerated", () => {
    const inv = s.salesInvoiceSchema.parse({
      id: "inv1",
      displayed_as: "SI-27",
      $path: "/sales_invoices/inv1",
      invoice_number: "SI-27",
      total_amount: "110.0",
      outstanding_amount: 0,
      status: { id: "PAID", displayed_as: "Paid", $path: "/artefact_statuses/PAID" },
      exchange_rate: "1.17",
      some_future_field: { x: 1 },
      invoice_lines: [
        { id: "l1", description: "Mug", unit_price: "10.0", tax_rate: { id: "GB_STANDARD", displayed_as: "Standard 20.00%" } },
      ],
      deleted_at: null,
    });
    assert.equal(inv.total_amount, 110);
    assert.equal(inv.outstanding_amount, 0);
    assert.equal(inv.exchange_rate, 1.17);
    assert.equal(inv.invoice_lines?.[0].unit_price, 10);
    assert.equal(inv.status?.id, "PAID");
    assert.deepEqual(inv.some_future_field, { x: 1 });
  });
  it("a list item with only id/displayed_as/$path is valid", () => {
    ok(s.contactSchema, { id: "c1", displayed_as: "Jane", $path: "/contacts/c1" });
    ok(s.taxRateSchema, { id: "GB_STANDARD", displayed_as: "Standard 20.00%" });
  });
  it("rejects money that is not a decimal", () => {
    failsAt(s.salesCreditNoteSchema, { id: "x", displayed_as: "CN-1", total_amount: "ten" }, "total_amount");
  });
  it("list envelope accepts $itemsPerPage and $items_per_page", () => {
    const env = s.listEnvelope(s.currencySchema);
    const a = env.parse({
      $total: 1,
      $page: 1,
      $next: null,
      $back: null,
      $itemsPerPage: 20,
      $items: [{ id: "GBP", displayed_as: "Pound Sterling" }],
    });
    const b = env.parse({ $total: 1, $page: 1, $next: "/currencies?page=2", $items_per_page: 2147483647, $items: [] });
    assert.deepEqual(a, {
      items: [{ id: "GBP", displayed_as: "Pound Sterling" }],
      total: 1,
      page: 1,
      next: null,
      back: null,
      itemsPerPage: 20,
    });
    assert.equal(b.itemsPerPage, 2147483647);
    assert.equal(b.next, "/currencies?page=2");
  });
  it("financial settings carry the base currency", () => {
    const f = s.financialSettingsSchema.parse({
      base_currency: { id: "GBP", displayed_as: "Pound Sterling" },
      multi_currency_enabled: true,
      accounting_type: "accrual",
    });
    assert.equal(f.base_currency.id, "GBP");
  });
});

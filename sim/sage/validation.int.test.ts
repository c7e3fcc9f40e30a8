import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { adminToken, admin, bankId, ledgerId, resetAll, sage, startTestEmulator, type SageClient } from "./testkit.ts";

/** Every rejection Sage is known for (sage-api §6, product-spec §3.7), as 422 RecordInvalid arrays. */
let emu: SageEmulator;
let api: SageClient;
let sales: string;
let purchases: string;
let bank: string;
let gbContact: string;

before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
  api = sage(emu, await adminToken(emu));
  sales = await ledgerId(api, 4000);
  purchases = await ledgerId(api, 5000);
  bank = await bankId(api);
  gbContact = await contact({ name: "UK Buyer", reference: "UK1", main_address: { country_id: "GB" } });
});
after(() => emu.stop());

async function contact(fields: Record<string, unknown>): Promise<string> {
  const r = await api.post("/contacts", { contact: { contact_type_ids: ["CUSTOMER"], ...fields } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return (r.body as { id: string }).id;
}

type Err = { $severity: string; $dataCode: string; $message: string; $source: string };
async function rejects(path: string, body: unknown, source: string, message?: string | RegExp) {
  const r = await api.post(path, body);
  assert.equal(r.status, 422, `expected 422, got ${r.status}: ${JSON.stringify(r.body)}`);
  const errs = r.body as Err[];
  const hit = errs.find((e) => e.$source === source);
  assert.ok(hit, `no error with $source ${source} in ${JSON.stringify(errs)}`);
  assert.equal(hit.$severity, "error");
  assert.equal(hit.$dataCode, "RecordInvalid");
  if (typeof message === "string") assert.equal(hit.$message, message);
  else if (message) assert.match(hit.$message, message);
  return errs;
}

const line = (extra: Record<string, unknown> = {}) => ({
  description: "Widget",
  ledger_account_id: sales,
  quantity: 1,
  unit_price: 10,
  tax_rate_id: "GB_STANDARD",
  tax_amount: 2,
  ...extra,
});
const invoice = (extra: Record<string, unknown> = {}, lines: Record<string, unknown>[] = [line()]) => ({
  sales_invoice: { contact_id: gbContact, date: "2026-02-01", invoice_lines: lines, ...extra },
});

describe("field rules", () => {
  test("required fields → This field is required. with the field path", async () => {
    await rejects("/contacts", { contact: { contact_type_ids: ["CUSTOMER"] } }, "name", "This field is required.");
    await rejects(
      "/sales_invoices",
      { sales_invoice: { contact_id: gbContact, invoice_lines: [line()] } },
      "date",
      "This field is required.",
    );
    await rejects(
      "/sales_invoices",
      invoice({}, [{ description: "x", unit_price: 1 }]),
      "line_items.ledger_account_id",
      "This field is required.",
    );
    await rejects("/sales_invoices", invoice({}, []), "line_items", "This field is required.");
    await rejects("/sales_invoices", {}, "sales_invoice", "This field is required.");
  });

  test("max lengths from the 2025 Swagger (contact reference 10, invoice reference 25, postcode 10)", async () => {
    await rejects(
      "/contacts",
      { contact: { name: "A", contact_type_ids: ["CUSTOMER"], reference: "ABCDEFGHIJK" } },
      "reference",
      /maximum is 10/,
    );
    await rejects(
      "/contacts",
      { contact: { name: "A", contact_type_ids: ["CUSTOMER"], main_address: { postal_code: "12345678901" } } },
      "main_address.postal_code",
      /maximum is 10/,
    );
    await rejects("/sales_invoices", invoice({ reference: "x".repeat(26) }), "reference", /maximum is 25/);
    await rejects(
      "/stock_movements",
      { stock_movement: { stock_item_id: "x", date: "2026-01-01", quantity: 1, cost_price: 1, details: "d".repeat(51) } },
      "details",
      /maximum is 50/,
    );
  });

  test("D6: fields v3.1 does not have are rejected (first_name, main_address.company, currency_tax_amount)", async () => {
    await rejects(
      "/contacts",
      { contact: { name: "A", contact_type_ids: ["CUSTOMER"], first_name: "A" } },
      "first_name",
      "is not a valid attribute",
    );
    await rejects(
      "/contacts",
      { contact: { name: "A", contact_type_ids: ["CUSTOMER"], main_address: { company: "Acme" } } },
      "main_address.company",
    );
    await rejects("/sales_invoices", invoice({}, [line({ currency_tax_amount: 2 })]), "line_items.currency_tax_amount");
  });

  test("§27: per-line base_currency_* siblings are refused on POST", async () => {
    await rejects("/sales_invoices", invoice({}, [line({ base_currency_net_amount: 10 })]), "line_items.base_currency_net_amount");
  });

  test("idempotency_id must be 32 hex characters", async () => {
    await rejects("/contacts", { contact: { name: "A", contact_type_ids: ["CUSTOMER"], idempotency_id: "not-hex" } }, "idempotency_id");
  });
});

describe("unknown ids", () => {
  test("tax rate, ledger account, currency, contact, bank account, product", async () => {
    await rejects("/sales_invoices", invoice({}, [line({ tax_rate_id: "GB_BOGUS" })]), "line_items.tax_rate_id", "Couldn't find record.");
    await rejects(
      "/sales_invoices",
      invoice({}, [line({ ledger_account_id: "0".repeat(32) })]),
      "line_items.ledger_account_id",
      "Couldn't find record.",
    );
    await rejects("/sales_invoices", invoice({ currency_id: "XYZ" }), "currency_id", "Couldn't find record.");
    await rejects("/sales_invoices", invoice({ contact_id: "0".repeat(32) }), "", "Couldn't find Customer.");
    await rejects("/sales_invoices", invoice({}, [line({ product_id: "0".repeat(32) })]), "line_items.product_id", "Couldn't find record.");
    await rejects(
      "/contact_payments",
      {
        contact_payment: {
          transaction_type_id: "CUSTOMER_RECEIPT",
          contact_id: gbContact,
          bank_account_id: "0".repeat(32),
          date: "2026-02-01",
          total_amount: 1,
        },
      },
      "bank_account_id",
      "Couldn't find record.",
    );
  });

  test("a ledger account not visible in sales is refused on a sales line (sage-api §6.1)", async () => {
    await rejects(
      "/sales_invoices",
      invoice({}, [line({ ledger_account_id: purchases })]),
      "line_items.ledger_account_id",
      /not a valid ledger account for sales/,
    );
  });

  test("a supplier on a sales invoice → Couldn't find Customer. (sage-api §6.2)", async () => {
    const vendor = await api.post("/contacts", { contact: { name: "Supplier Co", contact_type_ids: ["VENDOR"] } });
    await rejects("/sales_invoices", invoice({ contact_id: (vendor.body as { id: string }).id }), "", "Couldn't find Customer.");
  });
});

describe("document quirks", () => {
  test("tax_amount is required on a taxable line, not on a zero-rated one", async () => {
    await rejects("/sales_invoices", invoice({}, [line({ tax_amount: undefined })]), "line_items.tax_amount", "This field is required.");
    const ok = await api.post("/sales_invoices", invoice({}, [line({ tax_amount: undefined, tax_rate_id: "GB_ZERO" })]));
    assert.equal(ok.status, 201);
    assert.equal((ok.body as { tax_amount: string }).tax_amount, "0.0");
  });

  test("§22 + §20: HTML entities in a description fail under the umbrella line_items.description", async () => {
    await rejects(
      "/sales_invoices",
      invoice({}, [line({ description: "Widget&trade; Pro" })]),
      "line_items.description",
      "This field is required.",
    );
  });

  test("D10: a posted net or total that contradicts qty × price is not rejected: Sage ignores it and stores its own", async () => {
    const r = await api.post(
      "/sales_invoices",
      invoice({ net_amount: 99, total_amount: 99 }, [
        line({ unit_price: 41.625, tax_amount: 8.33, net_amount: 41.62, total_amount: 49.95 }),
      ]),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const doc = r.body as { net_amount: string; total_amount: string; invoice_lines: { net_amount: string; total_amount: string }[] };
    assert.deepEqual([doc.invoice_lines[0].net_amount, doc.invoice_lines[0].total_amount], ["41.63", "49.96"]);
    assert.deepEqual([doc.net_amount, doc.total_amount], ["41.63", "49.96"]);
  });

  test("with the umbrella quirk off the real source is named", async () => {
    await admin(emu, "PUT", "/config", { quirks: { umbrellaLineErrors: false } });
    try {
      await rejects(
        "/sales_invoices",
        invoice({}, [line({ description: "A &amp; B" })]),
        "line_items.description",
        "contains HTML entities",
      );
    } finally {
      await admin(emu, "PUT", "/config", { quirks: { umbrellaLineErrors: true } });
    }
  });

  test("§29: a non-GB customer needs GB_ZERO on every line and on shipping", async () => {
    const us = await contact({ name: "US Buyer", main_address: { country_id: "US" } });
    await rejects(
      "/sales_invoices",
      invoice({ contact_id: us }),
      "line_items.tax_rate_id",
      "must be 'Zero Rated' for Customers outside the EU",
    );
    const zeroLine = line({ tax_rate_id: "GB_ZERO", tax_amount: 0 });
    await rejects(
      "/sales_invoices",
      invoice({ contact_id: us, shipping_net_amount: 5, shipping_tax_rate_id: "GB_STANDARD" }, [zeroLine]),
      "shipping_tax_rate_id",
    );
    const ok = await api.post(
      "/sales_invoices",
      invoice({ contact_id: us, shipping_net_amount: 5, shipping_tax_rate_id: "GB_ZERO" }, [zeroLine]),
    );
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test("EU customer: eu_goods_services_type_id required on every line and must be the same", async () => {
    const fr = await contact({ name: "FR Buyer", currency_id: "EUR", main_address: { country_id: "FR" } });
    const z = (extra: Record<string, unknown>) => line({ tax_rate_id: "GB_ZERO", tax_amount: 0, ...extra });
    const doc = (lines: unknown[]) => ({
      sales_invoice: { contact_id: fr, date: "2026-02-01", currency_id: "EUR", exchange_rate: 1.17, invoice_lines: lines },
    });
    await rejects("/sales_invoices", doc([z({})]), "line_items.eu_goods_services_type_id", "This field is required.");
    await rejects(
      "/sales_invoices",
      doc([z({ eu_goods_services_type_id: "GOODS" }), z({ eu_goods_services_type_id: "SERVICES" })]),
      "line_items.eu_goods_services_type_id",
      "must be the same",
    );
    const ok = await api.post(
      "/sales_invoices",
      doc([z({ eu_goods_services_type_id: "GOODS" }), z({ eu_goods_services_type_id: "GOODS" })]),
    );
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test("the invoice billing address decides cross-border, not only the contact's", async () => {
    await rejects("/sales_invoices", invoice({ main_address: { country_id: "DE" } }), "line_items.tax_rate_id");
  });

  test("exchange rate ≠ 1 on a base-currency document with a base-currency contact is refused", async () => {
    await rejects("/sales_invoices", invoice({ exchange_rate: 1.17 }), "exchange_rate");
    await rejects("/sales_invoices", invoice({ currency_id: "GBP", exchange_rate: "0.85" }), "exchange_rate");
    assert.equal((await api.post("/sales_invoices", invoice({ exchange_rate: 1 }))).status, 201);
  });

  test("contact currency lock: a document in another currency than the contact's is refused", async () => {
    await rejects("/sales_invoices", invoice({ currency_id: "EUR", exchange_rate: 1.17 }), "currency_id", /contact's currency/);
  });
});

describe("contacts and items", () => {
  test("contact reference is unique, and stays reserved after a soft delete", async () => {
    const id = await contact({ name: "Temp", reference: "TMP1" });
    await rejects(
      "/contacts",
      { contact: { name: "Other", contact_type_ids: ["CUSTOMER"], reference: "TMP1" } },
      "reference",
      "has already been taken",
    );
    assert.equal((await api.del(`/contacts/${id}`)).status, 204);
    assert.equal((await api.get(`/contacts/${id}`)).status, 404);
    await rejects(
      "/contacts",
      { contact: { name: "Other", contact_type_ids: ["CUSTOMER"], reference: "TMP1" } },
      "reference",
      "has already been taken",
    );
    const put = await api.put(`/contacts/${id}`, { contact: { name: "Back" } });
    assert.equal(put.status, 404);
  });

  test("currency of a contact with transactions cannot change", async () => {
    const id = await contact({ name: "Locked", reference: "LCK1" });
    assert.equal((await api.post("/sales_invoices", invoice({ contact_id: id }))).status, 201);
    const r = await api.put(`/contacts/${id}`, { contact: { currency_id: "EUR" } });
    assert.equal(r.status, 422);
    assert.equal((r.body as Err[])[0].$source, "currency_id");
    const fresh = await contact({ name: "Free", reference: "FREE1" });
    assert.equal((await api.put(`/contacts/${fresh}`, { contact: { currency_id: "EUR" } })).status, 200);
  });

  test("products need a purchase ledger account, and it must be a purchase account", async () => {
    await rejects(
      "/products",
      { product: { description: "P", sales_ledger_account_id: sales } },
      "purchase_ledger_account_id",
      "This field is required.",
    );
    await rejects(
      "/products",
      { product: { description: "P", sales_ledger_account_id: sales, purchase_ledger_account_id: sales } },
      "purchase_ledger_account_id",
      /expenses/,
    );
    await rejects(
      "/stock_items",
      {
        stock_item: { description: "S", item_code: "x".repeat(31), sales_ledger_account_id: sales, purchase_ledger_account_id: purchases },
      },
      "item_code",
      /maximum is 30/,
    );
    const svc = await api.post("/services", { service: { description: "Install", sales_ledger_account_id: sales } });
    assert.equal(svc.status, 201);
  });
});

describe("payments and allocations", () => {
  async function doc(path: string, root: string, linesField: string, contactId: string, amount: number): Promise<string> {
    const r = await api.post(path, {
      [root]: {
        contact_id: contactId,
        date: "2026-02-01",
        [linesField]: [line({ unit_price: amount, tax_amount: 0, tax_rate_id: "GB_ZERO" })],
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body as { id: string }).id;
  }

  test("over-allocation of a receipt is refused", async () => {
    const c = await contact({ name: "Payer", reference: "PAY1" });
    const inv = await doc("/sales_invoices", "sales_invoice", "invoice_lines", c, 50);
    await rejects(
      "/contact_payments",
      {
        contact_payment: {
          transaction_type_id: "CUSTOMER_RECEIPT",
          contact_id: c,
          bank_account_id: bank,
          date: "2026-02-02",
          total_amount: 60,
          allocated_artefacts: [{ artefact_id: inv, amount: 60 }],
        },
      },
      "allocated_artefacts.amount",
      "cannot be greater than the outstanding amount",
    );
  });

  test("allocation across different contacts is refused", async () => {
    const a = await contact({ name: "A Ltd", reference: "ALC1" });
    const b = await contact({ name: "B Ltd", reference: "ALC2" });
    const inv = await doc("/sales_invoices", "sales_invoice", "invoice_lines", a, 30);
    const cn = await doc("/sales_credit_notes", "sales_credit_note", "credit_note_lines", b, 30);
    await rejects(
      "/contact_allocations",
      {
        contact_allocation: {
          transaction_type_id: "CUSTOMER_ALLOCATION",
          contact_id: a,
          allocated_artefacts: [
            { artefact_id: inv, amount: 30 },
            { artefact_id: cn, amount: -30 },
          ],
        },
      },
      "allocated_artefacts.artefact_id",
      "must belong to the same contact",
    );
  });

  test("allocations must net to zero and respect outstanding", async () => {
    const a = await contact({ name: "Net Ltd", reference: "NET1" });
    const inv = await doc("/sales_invoices", "sales_invoice", "invoice_lines", a, 30);
    const cn = await doc("/sales_credit_notes", "sales_credit_note", "credit_note_lines", a, 40);
    const body = (i: number, c: number) => ({
      contact_allocation: {
        transaction_type_id: "CUSTOMER_ALLOCATION",
        contact_id: a,
        allocated_artefacts: [
          { artefact_id: inv, amount: i },
          { artefact_id: cn, amount: c },
        ],
      },
    });
    await rejects("/contact_allocations", body(30, -20), "allocated_artefacts.amount", /net to zero/);
    await rejects("/contact_allocations", body(40, -40), "allocated_artefacts.amount", /outstanding/);
    await rejects("/contact_allocations", body(-30, 30), "allocated_artefacts.amount", /positive/);
  });
});

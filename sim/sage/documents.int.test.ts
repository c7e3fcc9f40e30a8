import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { adminToken, admin, bankId, ledgerId, resetAll, sage, startTestEmulator, type SageClient } from "./testkit.ts";

/** Server-side maths and the money flow between documents (sage-api §8.7, decisions D1/D7). */
let emu: SageEmulator;
let api: SageClient;
let sales: string;
let purchases: string;
let bank: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary Sage JSON
type Doc = Record<string, any>;

before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
  api = sage(emu, await adminToken(emu));
  sales = await ledgerId(api, 4000);
  purchases = await ledgerId(api, 5000);
  bank = await bankId(api);
});
after(() => emu.stop());

async function post(path: string, body: unknown): Promise<Doc> {
  const r = await api.post(path, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as Doc;
}
const newContact = (name: string, reference: string, extra: Record<string, unknown> = {}) =>
  post("/contacts", {
    contact: {
      name,
      reference,
      contact_type_ids: ["CUSTOMER"],
      main_address: { address_line_1: "1 Road", city: "York", postal_code: "YO1 1AA", country_id: "GB" },
      ...extra,
    },
  });
const zeroLine = (amount: number) => ({ description: "Item", ledger_account_id: sales, unit_price: amount, tax_rate_id: "GB_ZERO" });

describe("document maths", () => {
  test("each line is rounded to 2 dp before summing (Sage staff #19: 41.625 + 8.325 → 49.96)", async () => {
    const c = await newContact("Round Ltd", "RND1");
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        invoice_lines: [
          {
            description: "Odd price",
            ledger_account_id: sales,
            quantity: 1,
            unit_price: 41.625,
            tax_rate_id: "GB_STANDARD",
            tax_amount: 8.325,
          },
        ],
      },
    });
    const l = inv.invoice_lines[0];
    assert.equal(l.net_amount, "41.63");
    assert.equal(l.tax_amount, "8.33");
    assert.equal(l.total_amount, "49.96");
    assert.equal(inv.total_amount, "49.96");
    assert.equal(inv.outstanding_amount, "49.96");
    assert.equal(inv.status.id, "UNPAID");
  });

  test("discounts, tax-inclusive prices, shipping VAT recomputed from the rate (§32)", async () => {
    const c = await newContact("Maths Ltd", "MTH1");
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        shipping_net_amount: "5.00",
        shipping_tax_rate_id: "GB_STANDARD",
        shipping_tax_amount: 0,
        invoice_lines: [
          {
            description: "Discounted",
            ledger_account_id: sales,
            quantity: 2,
            unit_price: "10.00",
            discount_amount: 5,
            tax_rate_id: "GB_STANDARD",
            tax_amount: 3,
          },
          {
            description: "Gross priced",
            ledger_account_id: sales,
            quantity: 1,
            unit_price: 12,
            unit_price_includes_tax: true,
            tax_rate_id: "GB_STANDARD",
            tax_amount: 2,
          },
        ],
      },
    });
    assert.deepEqual(
      inv.invoice_lines.map((l: Doc) => [l.net_amount, l.tax_amount, l.total_amount, l.discount_amount]),
      [
        ["15.0", "3.0", "18.0", "5.0"],
        ["10.0", "2.0", "12.0", "0.0"],
      ],
    );
    assert.equal(inv.shipping_tax_amount, "1.0");
    assert.equal(inv.shipping_total_amount, "6.0");
    assert.equal(inv.net_amount, "30.0");
    assert.equal(inv.tax_amount, "6.0");
    assert.equal(inv.total_amount, "36.0");
    assert.equal(inv.total_discount_amount, "5.0");
    assert.equal(inv.total_quantity, "3.0");
  });

  test("with the shipping quirk off the sent shipping tax is kept", async () => {
    await admin(emu, "PUT", "/config", { quirks: { recomputeShippingTax: false } });
    try {
      const c = await newContact("Ship Ltd", "SHP1");
      const inv = await post("/sales_invoices", {
        sales_invoice: {
          contact_id: c.id,
          date: "2026-03-01",
          shipping_net_amount: 5,
          shipping_tax_rate_id: "GB_STANDARD",
          shipping_tax_amount: 0,
          invoice_lines: [zeroLine(10)],
        },
      });
      assert.equal(inv.shipping_tax_amount, "0.0");
      assert.equal(inv.total_amount, "15.0");
    } finally {
      await admin(emu, "PUT", "/config", { quirks: { recomputeShippingTax: true } });
    }
  });

  test("D1: base-currency amounts = document amounts ÷ exchange_rate", async () => {
    const c = await newContact("Euro GmbH", "EUR1", { currency_id: "EUR", main_address: { country_id: "GB" } });
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        currency_id: "EUR",
        exchange_rate: 1.17,
        invoice_lines: [
          { description: "Euro line", ledger_account_id: sales, unit_price: 100, tax_rate_id: "GB_STANDARD", tax_amount: 17 },
        ],
      },
    });
    assert.equal(inv.currency.id, "EUR");
    assert.equal(inv.exchange_rate, "1.17");
    assert.equal(inv.total_amount, "117.0");
    assert.equal(inv.base_currency_total_amount, "100.0");
    assert.equal(inv.base_currency_net_amount, "85.47");
    assert.equal(inv.invoice_lines[0].base_currency_net_amount, "85.47");
  });

  test("numbers and displayed_as: SI-n, CN-n, contact 'Name (REF)'; delivery copied from billing (§17)", async () => {
    const c = await newContact("Number Co", "NUM1");
    assert.equal(c.displayed_as, "Number Co (NUM1)");
    const a = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [zeroLine(1)] } });
    const b = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [zeroLine(1)] } });
    const na = Number(a.displayed_as.split("-")[1]);
    assert.match(a.displayed_as, /^SI-\d+$/);
    assert.equal(b.displayed_as, `SI-${na + 1}`);
    assert.equal(a.invoice_number, a.displayed_as);
    const cn = await post("/sales_credit_notes", {
      sales_credit_note: { contact_id: c.id, date: "2026-03-02", credit_note_lines: [zeroLine(1)] },
    });
    assert.match(cn.displayed_as, /^CN-\d+$/);
    assert.equal(a.delivery_address.address_line_1, "1 Road");
    assert.equal(a.delivery_address.country.id, "GB");
    assert.equal(a.contact.displayed_as, "Number Co (NUM1)");
  });
});

describe("payments and allocations", () => {
  test("receipts move UNPAID → PART_PAID → PAID; the rest goes on account; balance follows", async () => {
    const c = await newContact("Payer Ltd", "PAY2");
    const inv = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [zeroLine(100)] } });
    const receipt = (amount: number, allocate: number) => ({
      contact_payment: {
        transaction_type_id: "CUSTOMER_RECEIPT",
        contact_id: c.id,
        bank_account_id: bank,
        payment_method_id: "CREDIT_DEBIT",
        date: "2026-03-02",
        total_amount: amount,
        allocated_artefacts: [{ artefact_id: inv.id, amount: allocate }],
      },
    });
    await post("/contact_payments", receipt(40, 40));
    let got = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    assert.equal(got.status.id, "PART_PAID");
    assert.equal(got.outstanding_amount, "60.0");
    assert.equal(got.total_paid, "40.0");
    const second = await post("/contact_payments", receipt(70, 60));
    assert.equal(second.payment_on_account.total_amount, "10.0");
    assert.equal(second.allocated_artefacts[0].artefact.id, inv.id);
    got = (await api.get(`/sales_invoices/${inv.id}?show_payments_allocations=true`)).body as Doc;
    assert.equal(got.status.id, "PAID");
    assert.equal(got.outstanding_amount, "0.0");
    assert.equal(got.payments_allocations.length, 2);
    const contact = (await api.get(`/contacts/${c.id}`)).body as Doc;
    assert.equal(contact.balance, "-10.0");
    const banks = (await api.get("/bank_accounts?attributes=balance,nominal_code")).body as Doc;
    assert.ok(Number(banks.$items.find((b: Doc) => b.id === bank).balance) >= 110);
  });

  test("a credit note allocated against its invoice (CUSTOMER_ALLOCATION, signed), then visible by contact", async () => {
    const c = await newContact("Alloc Ltd", "ALC3");
    const inv = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [zeroLine(80)] } });
    const cn = await post("/sales_credit_notes", {
      sales_credit_note: { contact_id: c.id, date: "2026-03-03", credit_note_lines: [zeroLine(30)] },
    });
    const alloc = await post("/contact_allocations", {
      contact_allocation: {
        transaction_type_id: "CUSTOMER_ALLOCATION",
        contact_id: c.id,
        date: "2026-03-03",
        allocated_artefacts: [
          { artefact_id: inv.id, amount: 30 },
          { artefact_id: cn.id, amount: -30 },
        ],
      },
    });
    assert.equal(alloc.allocated_artefacts.length, 2);
    const i = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    const n = (await api.get(`/sales_credit_notes/${cn.id}`)).body as Doc;
    assert.equal(i.outstanding_amount, "50.0");
    assert.equal(i.status.id, "PART_PAID");
    assert.equal(i.total_paid, "0.0");
    assert.equal(n.outstanding_amount, "0.0");
    assert.equal(n.status.id, "PAID");
    const list = (await api.get(`/contact_allocations?contact_id=${c.id}`)).body as Doc;
    assert.equal(list.$total, 1);
    assert.equal(list.$items[0].id, alloc.id);
  });

  test("a customer refund settles a credit note", async () => {
    const c = await newContact("Refund Ltd", "REF1");
    const cn = await post("/sales_credit_notes", {
      sales_credit_note: { contact_id: c.id, date: "2026-03-03", credit_note_lines: [zeroLine(25)] },
    });
    await post("/contact_payments", {
      contact_payment: {
        transaction_type_id: "CUSTOMER_REFUND",
        contact_id: c.id,
        bank_account_id: bank,
        date: "2026-03-04",
        total_amount: 25,
        allocated_artefacts: [{ artefact_id: cn.id, amount: 25 }],
      },
    });
    const n = (await api.get(`/sales_credit_notes/${cn.id}`)).body as Doc;
    assert.equal(n.status.id, "PAID");
  });
});

describe("contacts, products and stock", () => {
  test("PUT contact merges fields and keeps the id", async () => {
    const c = await newContact("Old Name", "PUT1", { main_contact_person: { name: "Pat", email: "pat@example.com" } });
    const r = await api.put(`/contacts/${c.id}`, { contact: { name: "New Name" } });
    assert.equal(r.status, 200);
    const body = r.body as Doc;
    assert.equal(body.name, "New Name");
    assert.equal(body.displayed_as, "New Name (PUT1)");
    assert.equal(body.email, "pat@example.com");
    const found = (await api.get("/contacts?email=PAT@example.com")).body as Doc;
    assert.equal(found.$items[0].id, c.id);
  });

  test("products: create, PUT, search", async () => {
    const p = await post("/products", {
      product: {
        description: "Blue Mug",
        item_code: "MUG-B",
        sales_ledger_account_id: sales,
        purchase_ledger_account_id: purchases,
        sales_prices: [{ price_name: "Selling Price", price: 9.5, price_includes_tax: false }],
      },
    });
    assert.equal(p.catalog_item_type.id, "PRODUCT");
    assert.equal(p.sales_prices[0].price, "9.5");
    assert.equal(p.purchase_ledger_account.id, purchases);
    const r = await api.put(`/products/${p.id}`, { product: { description: "Big Blue Mug" } });
    assert.equal((r.body as Doc).description, "Big Blue Mug");
    assert.equal((r.body as Doc).item_code, "MUG-B");
    const s = (await api.get("/products?search=mug-b")).body as Doc;
    assert.equal(s.$total, 1);
  });

  test("D7: stock movements adjust quantity_in_stock by their signed quantity", async () => {
    const item = await post("/stock_items", {
      stock_item: {
        item_code: "SKU-1",
        description: "Boxed thing",
        sales_ledger_account_id: sales,
        purchase_ledger_account_id: purchases,
        cost_price: 4,
      },
    });
    assert.equal(item.quantity_in_stock, "0.0");
    await post("/stock_movements", {
      stock_movement: { stock_item_id: item.id, date: "2026-03-01", quantity: 10, cost_price: 4, details: "Magento sync" },
    });
    const m = await post("/stock_movements", {
      stock_movement: { stock_item_id: item.id, date: "2026-03-02", quantity: -3, cost_price: 4, details: "Magento sync" },
    });
    assert.equal(m.quantity, "-3.0");
    const got = (await api.get(`/stock_items/${item.id}`)).body as Doc;
    assert.equal(got.quantity_in_stock, "7.0");
    const moves = (await api.get(`/stock_movements?stock_item_id=${item.id}`)).body as Doc;
    assert.equal(moves.$total, 2);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { admin, adminToken, bankId, ledgerId, resetAll, sage, startTestEmulator, type SageClient } from "./testkit.ts";

/**
 * Sage's own sums (sage-api §6 item 10, §8 item 7, decisions D1/D10/D11): the emulator recomputes
 * every line, ignores posted nets, keeps base-currency mirrors and the outstanding amount, and can be
 * told to store a wrong total so the connector's check has something to catch.
 */
let emu: SageEmulator;
let api: SageClient;
let sales: string;
let bank: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary Sage JSON
type Doc = Record<string, any>;

before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
  api = sage(emu, await adminToken(emu));
  sales = await ledgerId(api, 4000);
  bank = await bankId(api);
});
after(() => emu.stop());

async function post(path: string, body: unknown): Promise<Doc> {
  const r = await api.post(path, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as Doc;
}
let refs = 0;
const newContact = (extra: Record<string, unknown> = {}) =>
  post("/contacts", {
    contact: {
      name: `Sums ${++refs}`,
      reference: `SUM${refs}`,
      contact_type_ids: ["CUSTOMER"],
      main_address: { address_line_1: "1 Road", city: "York", country_id: "GB" },
      ...extra,
    },
  });
const line = (quantity: number, unit_price: number, extra: Record<string, unknown> = {}) => ({
  description: "Item",
  ledger_account_id: sales,
  quantity,
  unit_price,
  tax_rate_id: "GB_ZERO",
  ...extra,
});
const receipt = (contactId: string, invoiceId: string, amount: number, extra: Record<string, unknown> = {}) => ({
  contact_payment: {
    transaction_type_id: "CUSTOMER_RECEIPT",
    contact_id: contactId,
    bank_account_id: bank,
    date: "2026-03-02",
    total_amount: amount,
    allocated_artefacts: [{ artefact_id: invoiceId, amount }],
    ...extra,
  },
});

describe("Sage's arithmetic", () => {
  test("D10: net = round(qty × unit_price, 2) − discount for whole, odd and fractional quantities; the header sums rounded lines", async () => {
    const c = await newContact();
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        invoice_lines: [
          line(3, 3.34, { discount_amount: 0.02, tax_rate_id: "GB_STANDARD", tax_amount: 2 }),
          line(7, 1.43, { discount_amount: 0.01 }),
          line(1.5, 2.5, { discount_amount: 0.01 }),
          line(0.333, 9.99),
          line(1, 0),
        ],
      },
    });
    assert.deepEqual(
      inv.invoice_lines.map((l: Doc) => [l.net_amount, l.tax_amount, l.total_amount]),
      [
        ["10.0", "2.0", "12.0"],
        ["10.0", "0.0", "10.0"],
        ["3.74", "0.0", "3.74"],
        ["3.33", "0.0", "3.33"],
        ["0.0", "0.0", "0.0"],
      ],
    );
    assert.equal(inv.net_amount, "27.07");
    assert.equal(inv.tax_amount, "2.0");
    assert.equal(inv.total_amount, "29.07");
    assert.equal(inv.total_discount_amount, "0.04");
  });

  test("a client posting Magento's raw 41.625 gets Sage's 87.76, and a 87.75 receipt leaves 1p outstanding (the drift D10 prevents)", async () => {
    const c = await newContact();
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        shipping_net_amount: 31.5,
        shipping_tax_rate_id: "GB_STANDARD",
        invoice_lines: [line(1, 41.625, { tax_rate_id: "GB_STANDARD", tax_amount: 8.33, net_amount: 41.62, total_amount: 49.95 })],
      },
    });
    assert.equal(inv.invoice_lines[0].net_amount, "41.63", "the posted net is ignored");
    assert.equal(inv.shipping_tax_amount, "6.3");
    assert.equal(inv.total_amount, "87.76");
    await post("/contact_payments", receipt(c.id, inv.id, 87.75));
    const got = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    assert.equal(got.outstanding_amount, "0.01");
    assert.equal(got.status.id, "PART_PAID");
  });

  test("D1: a EUR credit note and its refund keep base-currency mirrors = document ÷ exchange_rate, outstanding included", async () => {
    const c = await newContact({ currency_id: "EUR" });
    const inv = await post("/sales_invoices", {
      sales_invoice: {
        contact_id: c.id,
        date: "2026-03-01",
        currency_id: "EUR",
        exchange_rate: 1.17,
        invoice_lines: [line(3, 3.34, { discount_amount: 0.02 })],
      },
    });
    assert.deepEqual([inv.total_amount, inv.base_currency_total_amount, inv.base_currency_outstanding_amount], ["10.0", "8.55", "8.55"]);
    await post("/contact_payments", receipt(c.id, inv.id, 4, { currency_id: "EUR", exchange_rate: 1.17 }));
    const part = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    assert.deepEqual([part.outstanding_amount, part.base_currency_outstanding_amount], ["6.0", "5.13"]);
    const cn = await post("/sales_credit_notes", {
      sales_credit_note: {
        contact_id: c.id,
        date: "2026-03-03",
        currency_id: "EUR",
        exchange_rate: 1.17,
        credit_note_lines: [line(1, 11.7)],
      },
    });
    assert.deepEqual([cn.total_amount, cn.base_currency_net_amount, cn.base_currency_total_amount], ["11.7", "10.0", "10.0"]);
    await post("/contact_allocations", {
      contact_allocation: {
        transaction_type_id: "CUSTOMER_ALLOCATION",
        contact_id: c.id,
        date: "2026-03-03",
        allocated_artefacts: [
          { artefact_id: inv.id, amount: 6 },
          { artefact_id: cn.id, amount: -6 },
        ],
      },
    });
    const paid = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    assert.deepEqual([paid.outstanding_amount, paid.base_currency_outstanding_amount, paid.status.id], ["0.0", "0.0", "PAID"]);
    const open = (await api.get(`/sales_credit_notes/${cn.id}`)).body as Doc;
    assert.deepEqual([open.outstanding_amount, open.base_currency_outstanding_amount], ["5.7", "4.87"]);
  });
});

describe("the wrong_total fault (D11 tests)", () => {
  test("stores and answers a total off by delta, once, while the lines stay right", async () => {
    const rule = (
      await admin(emu, "POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "wrong_total", delta: 0.01, count: 1 })
    ).body as Doc[];
    assert.equal(rule[0].kind, "wrong_total");
    const c = await newContact();
    const bad = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [line(1, 10)] } });
    assert.deepEqual([bad.invoice_lines[0].total_amount, bad.total_amount, bad.outstanding_amount], ["10.0", "10.01", "10.01"]);
    const stored = (await api.get(`/sales_invoices/${bad.id}`)).body as Doc;
    assert.equal(stored.total_amount, "10.01", "the wrong figure is what Sage keeps");
    const good = await post("/sales_invoices", { sales_invoice: { contact_id: c.id, date: "2026-03-01", invoice_lines: [line(1, 10)] } });
    assert.equal(good.total_amount, "10.0", "count: 1 — the next document is right");
    const stats = (await admin(emu, "GET", "/stats")).body as Doc;
    assert.ok(stats.faults_injected >= 1);
  });

  test("a wrong_total rule must act before the create", async () => {
    const r = await admin(emu, "POST", "/faults", { path: "/v3.1/sales_invoices", kind: "wrong_total", phase: "after" });
    assert.equal(r.status, 400);
    assert.match(String((r.body as Doc).message), /phase/);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { DEMO_BUSINESS_ID } from "./seed.ts";
import { adminToken, admin, call, ledgerId, resetAll, sage, startTestEmulator, type SageClient } from "./testkit.ts";

/** The accountant's hand (admin API + UI forms) and the list filters reconciliation reads Sage with. */
let emu: SageEmulator;
let api: SageClient;
let sales: string;
let contactId: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary Sage JSON
type Doc = Record<string, any>;

before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
  api = sage(emu, await adminToken(emu));
  sales = await ledgerId(api, 4000);
  const c = await api.post("/contacts", {
    contact: { name: "Acct Ltd", reference: "ACC1", contact_type_ids: ["CUSTOMER"], main_address: { country_id: "GB" } },
  });
  contactId = (c.body as Doc).id;
});
after(() => emu.stop());

const invoiceBody = (reference: string, date: string, unitPrice = 10) => ({
  contact_id: contactId,
  date,
  reference,
  invoice_lines: [
    {
      description: "Widget",
      ledger_account_id: sales,
      quantity: 2,
      unit_price: unitPrice,
      tax_rate_id: "GB_STANDARD",
      tax_amount: unitPrice * 0.4,
    },
  ],
});
async function postInvoice(reference: string, date: string): Promise<Doc> {
  const r = await api.post("/sales_invoices", { sales_invoice: invoiceBody(reference, date) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as Doc;
}
const list = async (query: string): Promise<Doc> => (await api.get(`/sales_invoices?${query}`)).body as Doc;

describe("the accountant edits, voids, deletes and keys in documents", () => {
  test("an edited line recomputes the totals with Sage's rounding and bumps updated_at", async () => {
    const inv = await postInvoice("MAG-1001", "2026-04-02");
    assert.equal(inv.total_amount, "24.0");
    await new Promise((r) => setTimeout(r, 1100)); // timestamps have whole seconds
    const r = await admin(emu, "PATCH", `/documents/sales_invoices/${inv.id}`, { lines: [{ index: 0, unit_price: "12.345" }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const got = (await api.get(`/sales_invoices/${inv.id}`)).body as Doc;
    assert.equal(got.invoice_lines[0].net_amount, "24.69");
    assert.equal(got.invoice_lines[0].tax_amount, "4.94");
    assert.equal(got.total_amount, "29.63");
    assert.equal(got.outstanding_amount, "29.63");
    assert.ok(got.updated_at > inv.updated_at);
    const since = await list(`updated_or_created_since=${encodeURIComponent(got.updated_at)}&attributes=total_amount`);
    assert.deepEqual(
      since.$items.map((i: Doc) => i.id),
      [inv.id],
    );
  });

  test("a voided document stays listed with status VOID; a deleted one leaves the list and shows under deleted_since", async () => {
    const v = await postInvoice("MAG-1002", "2026-04-03");
    const d = await postInvoice("MAG-1003", "2026-04-03");
    const before = new Date(Date.now() - 1000).toISOString();
    assert.equal((await admin(emu, "POST", `/documents/sales_invoices/${v.id}/void`, {})).status, 400, "void needs a reason");
    const voided = await admin(emu, "POST", `/documents/sales_invoices/${v.id}/void`, { void_reason: "Raised in error" });
    assert.equal(voided.status, 200);
    assert.equal((await admin(emu, "DELETE", `/documents/sales_invoices/${d.id}`)).status, 204);
    const day = await list("from_date=2026-04-03&to_date=2026-04-03&attributes=status,void_reason");
    assert.deepEqual(
      day.$items.map((i: Doc) => [i.id, i.status.id, i.void_reason]),
      [[v.id, "VOID", "Raised in error"]],
    );
    assert.equal((await api.get(`/sales_invoices/${d.id}`)).status, 404);
    const gone = await list(`deleted_since=${encodeURIComponent(before)}`);
    assert.deepEqual(
      gone.$items.map((i: Doc) => i.id),
      [d.id],
    );
    assert.equal((await admin(emu, "PATCH", `/documents/sales_invoices/${d.id}`, { reference: "X" })).status, 404);
    const stored = await admin(emu, "GET", `/documents/sales_invoices/${d.id}`);
    assert.equal(stored.status, 200, "the admin API still reads a deleted document");
    assert.ok((stored.body as Doc).deleted_at);
  });

  test("created by hand and duplicated documents go through Sage's own create path", async () => {
    const made = await admin(emu, "POST", "/documents/sales_invoices", {
      business_id: DEMO_BUSINESS_ID,
      document: invoiceBody("MAG-HAND", "2026-04-04", 5),
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((made.body as Doc).total_amount, "12.0");
    assert.match((made.body as Doc).displayed_as, /^SI-\d+$/);
    const bad = await admin(emu, "POST", "/documents/sales_invoices", { business_id: DEMO_BUSINESS_ID, document: { date: "2026-04-04" } });
    assert.equal(bad.status, 422);
    const dup = await admin(emu, "POST", `/documents/sales_invoices/${(made.body as Doc).id}/duplicate`, { reference: "MAG-DUP" });
    assert.equal(dup.status, 201);
    assert.equal((dup.body as Doc).total_amount, "12.0");
    assert.notEqual((dup.body as Doc).id, (made.body as Doc).id);
    const found = await list("search=MAG-&from_date=2026-04-04&to_date=2026-04-04&attributes=reference");
    assert.deepEqual(found.$items.map((i: Doc) => i.reference).sort(), ["MAG-DUP", "MAG-HAND"]);
  });

  test("the UI's forms edit and void a document", async () => {
    const inv = await postInvoice("MAG-1004", "2026-04-05");
    const page = await call(`${emu.url}/ui/sales_invoices/${inv.id}`);
    assert.match(String(page.body), /Act as the accountant/);
    const form = (path: string, fields: Record<string, string>) =>
      call(`${emu.url}/ui/sales_invoices/${inv.id}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    assert.equal((await form("edit", { index: "0", quantity: "3", unit_price: "", reference: "MAG-1004" })).status, 303);
    assert.equal(((await api.get(`/sales_invoices/${inv.id}`)).body as Doc).total_amount, "36.0");
    assert.equal((await form("void", { void_reason: "Customer cancelled" })).status, 303);
    assert.equal(((await api.get(`/sales_invoices/${inv.id}`)).body as Doc).status.id, "VOID");
  });
});

describe("list filters Sage documents for reconciliation", () => {
  test("dates, paging at 200 and $next carrying the filters", async () => {
    for (let i = 0; i < 3; i++) await postInvoice(`MAG-P${i}`, "2026-05-01");
    const first = await list("from_date=2026-05-01&to_date=2026-05-31&items_per_page=2&attributes=total_amount");
    assert.equal(first.$total, 3);
    assert.equal(first.$items.length, 2);
    assert.match(first.$next, /^\/sales_invoices\?/);
    const next = new URLSearchParams(first.$next.split("?")[1]);
    assert.equal(next.get("from_date"), "2026-05-01");
    assert.equal(next.get("page"), "2");
    assert.equal((await api.get(`/sales_invoices?items_per_page=201`)).status, 422);
    assert.equal((await api.get(`/sales_invoices?items_per_page=200`)).status, 200);
  });

  test("payments filter by date", async () => {
    const r = await api.get("/contact_payments?from_date=2030-01-01");
    assert.equal(r.status, 200);
    assert.equal((r.body as Doc).$total, 0);
  });
});

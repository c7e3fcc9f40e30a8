import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { DEMO_BUSINESS_ID, SECOND_BUSINESS_ID } from "./seed.ts";
import { admin, adminToken, call, ledgerId, resetAll, sage, startTestEmulator, type SageClient } from "./testkit.ts";

/** Lists, idempotency, throttling, fault injection, persistence and the UI. */
let emu: SageEmulator;
let api: SageClient;
let token: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary Sage JSON
type Doc = Record<string, any>;
const hex = () => randomBytes(16).toString("hex");

before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
  token = await adminToken(emu);
  api = sage(emu, token);
});
after(() => emu?.stop());

const contactBody = (i: number, extra: Record<string, unknown> = {}) => ({
  contact: { name: `Customer ${i}`, reference: `C${i}`, contact_type_ids: ["CUSTOMER"], ...extra },
});

describe("lists", () => {
  test("envelope, paging, past-last-page returns the last page, attributes", async () => {
    for (let i = 1; i <= 5; i++) assert.equal((await api.post("/contacts", contactBody(i))).status, 201);
    const p1 = (await api.get("/contacts?items_per_page=2")).body as Doc;
    assert.equal(p1.$total, 5);
    assert.equal(p1.$page, 1);
    assert.equal(p1.$itemsPerPage, 2);
    assert.equal(p1.$back, null);
    assert.equal(p1.$next, "/contacts?items_per_page=2&page=2");
    assert.deepEqual(Object.keys(p1.$items[0]).sort(), ["$path", "displayed_as", "id"]);
    const p3 = (await api.get("/contacts?items_per_page=2&page=3")).body as Doc;
    assert.equal(p3.$items.length, 1);
    assert.equal(p3.$next, null);
    assert.equal(p3.$back, "/contacts?items_per_page=2&page=2");
    const past = (await api.get("/contacts?items_per_page=2&page=9")).body as Doc;
    assert.equal(past.$page, 3);
    assert.equal(past.$items[0].id, p3.$items[0].id);
    const all = (await api.get("/contacts?attributes=all&items_per_page=200")).body as Doc;
    assert.equal(all.$items[0].name, "Customer 1");
    assert.equal(all.$items[0].balance, "0.0");
    const some = (await api.get("/contacts?attributes=reference")).body as Doc;
    assert.deepEqual(Object.keys(some.$items[0]).sort(), ["$path", "displayed_as", "id", "reference"]);
    const seen = new Set<string>();
    let next: string | null = "/contacts?items_per_page=2";
    while (next) {
      const page = (await api.get(next)).body as Doc;
      for (const it of page.$items) seen.add(it.id);
      next = page.$next;
    }
    assert.equal(seen.size, 5);
  });

  test("items_per_page above 200 is refused; search filters", async () => {
    assert.equal((await api.get("/contacts?items_per_page=201")).status, 422);
    const s = (await api.get("/contacts?search=customer 3")).body as Doc;
    assert.equal(s.$total, 1);
  });

  test("documents of one business are invisible to another", async () => {
    const other = sage(emu, token, SECOND_BUSINESS_ID);
    assert.equal(((await other.get("/contacts")).body as Doc).$total, 0);
  });

  test("reference data: ledger_accounts visible_in, tax rates, currencies, financial settings, countries", async () => {
    const salesLedgers = (await api.get("/ledger_accounts?visible_in=sales&attributes=nominal_code")).body as Doc;
    const codes = salesLedgers.$items.map((l: Doc) => l.nominal_code);
    assert.ok(codes.includes(4000) && codes.includes(4010));
    assert.ok(!codes.includes(5000) && !codes.includes(1200));
    const expense = (await api.get("/ledger_accounts?visible_in=expenses&attributes=nominal_code")).body as Doc;
    assert.ok(expense.$items.some((l: Doc) => l.nominal_code === 5000));
    const rates = (await api.get("/tax_rates?attributes=percentage")).body as Doc;
    assert.deepEqual(
      rates.$items.map((r: Doc) => r.id),
      ["GB_STANDARD", "GB_LOWER", "GB_ZERO", "GB_EXEMPT", "GB_NO_TAX"],
    );
    assert.equal(rates.$items[0].percentage, "20.0");
    assert.equal(((await api.get("/tax_rates/GB_LOWER")).body as Doc).percentage, "5.0");
    const cur = (await api.get("/currencies")).body as Doc;
    assert.deepEqual(
      cur.$items.map((c: Doc) => c.id),
      ["GBP", "EUR", "USD"],
    );
    assert.equal(((await api.get("/financial_settings")).body as Doc).base_currency.id, "GBP");
    assert.equal(((await api.get("/countries/FR")).body as Doc).displayed_as, "France (FR)");
    assert.equal((await api.get("/tax_rates/NOPE")).status, 404);
    const l4000 = await ledgerId(api, 4000);
    assert.equal(((await api.get(`/ledger_accounts/${l4000}`)).body as Doc).visible_in_sales, true);
  });

  test("unknown path → 404 RecordNotFound; wrong method → 405; non-JSON body → 415", async () => {
    const nf = await api.get("/sales_invoices/ffffffffffffffffffffffffffffffff");
    assert.equal(nf.status, 404);
    assert.equal((nf.body as Doc[])[0].$dataCode, "RecordNotFound");
    assert.equal((await api.get("/no_such_thing")).status, 404);
    assert.equal((await api.raw("PATCH", "/contacts")).status, 405);
    assert.equal((await api.raw("POST", "/contacts", undefined, { "content-type": "text/plain" })).status, 415);
  });
});

describe("idempotency_id (sage-api §3.9)", () => {
  test("a replay returns the original document and creates nothing", async () => {
    const id = hex();
    const first = await api.post("/contacts", contactBody(50, { idempotency_id: id }));
    const again = await api.post("/contacts", contactBody(50, { idempotency_id: id }));
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    const list = (await api.get("/contacts?search=C50")).body as Doc;
    assert.equal(list.$total, 1);
  });

  test("a replayed invoice does not take a new number; same id + different body: first wins", async () => {
    const c = (await api.post("/contacts", contactBody(51))).body as Doc;
    const sales = await ledgerId(api, 4000);
    const body = (price: number, key: string) => ({
      sales_invoice: {
        idempotency_id: key,
        contact_id: c.id,
        date: "2026-04-01",
        invoice_lines: [{ description: "x", ledger_account_id: sales, unit_price: price, tax_rate_id: "GB_ZERO" }],
      },
    });
    const key = hex();
    const a = (await api.post("/sales_invoices", body(10, key))).body as Doc;
    const b = (await api.post("/sales_invoices", body(99, key))).body as Doc;
    assert.equal(b.id, a.id);
    assert.equal(b.total_amount, "10.0");
    const list = (await api.get(`/sales_invoices?contact_id=${c.id}`)).body as Doc;
    assert.equal(list.$total, 1);
    const stats = (await admin(emu, "GET", "/stats")).body as Doc;
    assert.ok(stats.idempotent_replays >= 2);
  });

  test("concurrent duplicates create one record", async () => {
    const key = hex();
    const results = await Promise.all([1, 2, 3, 4].map(() => api.post("/contacts", contactBody(52, { idempotency_id: key }))));
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 201, 201],
    );
    assert.equal(new Set(results.map((r) => (r.body as Doc).id)).size, 1);
  });

  test("the same id on another resource type → IdempotencyResourceMismatch", async () => {
    const key = hex();
    assert.equal((await api.post("/contacts", contactBody(53, { idempotency_id: key }))).status, 201);
    const sales = await ledgerId(api, 4000);
    const r = await api.post("/products", {
      product: {
        idempotency_id: key,
        description: "P",
        sales_ledger_account_id: sales,
        purchase_ledger_account_id: await ledgerId(api, 5000),
      },
    });
    assert.equal(r.status, 422);
    assert.equal((r.body as Doc[])[0].$dataCode, "IdempotencyResourceMismatch");
  });

  test("a failed create is not remembered: fixing the body with the same id succeeds", async () => {
    const key = hex();
    const bad = await api.post("/contacts", {
      contact: { name: "Fixme", contact_type_ids: ["CUSTOMER"], reference: "TOOLONGREFERENCE", idempotency_id: key },
    });
    assert.equal(bad.status, 422);
    const good = await api.post("/contacts", {
      contact: { name: "Fixme", contact_type_ids: ["CUSTOMER"], reference: "FIX1", idempotency_id: key },
    });
    assert.equal(good.status, 201);
  });
});

describe("rate limit", () => {
  test("per business: 429 with Retry-After and Sage's error array; other businesses unaffected", async () => {
    await admin(emu, "POST", "/reset", {});
    await admin(emu, "PUT", "/config", { rate_limit_per_minute: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await api.get("/currencies"));
      assert.deepEqual(
        statuses.map((r) => r.status),
        [200, 200, 200, 429],
      );
      const limited = statuses[3];
      const retry = Number(limited.headers.get("retry-after"));
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.equal((limited.body as Doc[])[0].$severity, "error");
      assert.equal((await sage(emu, token, SECOND_BUSINESS_ID).get("/currencies")).status, 200);
      const stats = (await admin(emu, "GET", "/stats")).body as Doc;
      assert.equal(stats.throttled_429, 1);
      assert.equal(stats.requests["GET /v3.1/currencies"], 5);
    } finally {
      await admin(emu, "PUT", "/config", { rate_limit_per_minute: 0 });
      await admin(emu, "POST", "/reset", {});
    }
  });
});

describe("fault injection", () => {
  test("fail next N with 500 UnexpectedError, then normal service", async () => {
    await admin(emu, "POST", "/faults", { path: "/v3.1/currencies", kind: "error", status: 500, count: 2 });
    const r = [await api.get("/currencies"), await api.get("/currencies"), await api.get("/currencies")];
    assert.deepEqual(
      r.map((x) => x.status),
      [500, 500, 200],
    );
    assert.equal((r[0].body as Doc[])[0].$dataCode, "UnexpectedError");
    assert.deepEqual((await admin(emu, "GET", "/faults")).body, []);
  });

  test("503 and injected 429 (with and without Retry-After) by method and pattern", async () => {
    await admin(emu, "POST", "/faults", [
      { method: "GET", path: "/v3.1/tax_rates*", kind: "error", status: 503, count: 1 },
      { path: "/v3.1/countries", kind: "rate_limit", retry_after: 7, count: 1 },
      { path: "/v3.1/countries", kind: "rate_limit", retry_after: null, count: 1 },
    ]);
    const a = await api.get("/tax_rates/GB_ZERO");
    assert.equal(a.status, 503);
    const b = await api.get("/countries");
    assert.equal(b.status, 429);
    assert.equal(b.headers.get("retry-after"), "7");
    const c = await api.get("/countries");
    assert.equal(c.status, 429);
    assert.equal(c.headers.get("retry-after"), null);
    assert.equal((await api.get("/countries")).status, 200);
  });

  test("a timeout hangs past the client's deadline; the next call is served", async () => {
    await admin(emu, "POST", "/faults", { path: "/v3.1/currencies", kind: "timeout", count: 1, hang_ms: 60_000 });
    await assert.rejects(
      fetch(`${emu.url}/v3.1/currencies`, {
        headers: { authorization: `Bearer ${token}`, "x-business": DEMO_BUSINESS_ID },
        signal: AbortSignal.timeout(300),
      }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal((await api.get("/currencies")).status, 200);
  });

  test("phase=after commits the create, then fails; the idempotent retry returns the committed record", async () => {
    await admin(emu, "POST", "/faults", { method: "POST", path: "/v3.1/contacts", kind: "error", status: 502, phase: "after", count: 1 });
    const key = hex();
    const failed = await api.post("/contacts", contactBody(60, { idempotency_id: key }));
    assert.equal(failed.status, 502);
    const retry = await api.post("/contacts", contactBody(60, { idempotency_id: key }));
    assert.equal(retry.status, 201);
    const list = (await api.get("/contacts?search=C60")).body as Doc;
    assert.equal(list.$total, 1);
    assert.equal(list.$items[0].id, (retry.body as Doc).id);
  });

  test("a rate below 1 fires for some requests only; admin reset clears rules", async () => {
    await admin(emu, "POST", "/faults", { path: "/v3.1/currencies", kind: "error", rate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 40; i++) statuses.push((await api.get("/currencies")).status);
    assert.ok(statuses.includes(500) && statuses.includes(200), statuses.join(","));
    await admin(emu, "POST", "/reset", {});
    assert.deepEqual((await admin(emu, "GET", "/faults")).body, []);
    assert.equal(((await admin(emu, "GET", "/stats")).body as Doc).faults_injected, 0);
  });

  test("bad fault rules are refused", async () => {
    const r = await admin(emu, "POST", "/faults", { path: "/x", kind: "explode" });
    assert.equal(r.status, 400);
  });
});

describe("persistence and UI", () => {
  test("restart keeps documents, numbering and tokens", async () => {
    const c = (await api.post("/contacts", contactBody(70))).body as Doc;
    const sales = await ledgerId(api, 4000);
    const inv = (
      await api.post("/sales_invoices", {
        sales_invoice: {
          contact_id: c.id,
          date: "2026-05-01",
          invoice_lines: [{ description: "Kept", ledger_account_id: sales, unit_price: 5, tax_rate_id: "GB_ZERO" }],
        },
      })
    ).body as Doc;
    await emu.stop();
    emu = await startTestEmulator();
    api = sage(emu, token);
    const got = await api.get(`/sales_invoices/${inv.id}`);
    assert.equal(got.status, 200);
    assert.equal((got.body as Doc).displayed_as, inv.displayed_as);
    const next = (
      await api.post("/sales_invoices", {
        sales_invoice: {
          contact_id: c.id,
          date: "2026-05-02",
          invoice_lines: [{ description: "Next", ledger_account_id: sales, unit_price: 5, tax_rate_id: "GB_ZERO" }],
        },
      })
    ).body as Doc;
    assert.equal(next.displayed_as, `SI-${Number(inv.displayed_as.slice(3)) + 1}`);
  });

  test("UI: index, lists and deep links by id", async () => {
    const c = (await api.post("/contacts", contactBody(80, { name: "UI <Customer>" }))).body as Doc;
    const sales = await ledgerId(api, 4000);
    const inv = (
      await api.post("/sales_invoices", {
        sales_invoice: {
          contact_id: c.id,
          date: "2026-05-01",
          invoice_lines: [{ description: "Shown line", ledger_account_id: sales, unit_price: 5, tax_rate_id: "GB_ZERO" }],
        },
      })
    ).body as Doc;
    const index = await call<string>(`${emu.url}/ui`);
    assert.match(index.body, /Ledger Demo Ltd/);
    const list = await call<string>(`${emu.url}/ui/sales_invoices?business=${DEMO_BUSINESS_ID}`);
    assert.match(list.body, new RegExp(`/ui/sales_invoices/${inv.id}`));
    const page = await call<string>(`${emu.url}/ui/sales_invoices/${inv.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(inv.displayed_as));
    assert.match(page.body, /Shown line/);
    assert.match(page.body, /UI &lt;Customer&gt;/);
    assert.doesNotMatch(page.body, /UI <Customer>/);
    const contactPage = await call<string>(`${emu.url}/ui/contacts/${c.id}`);
    assert.equal(contactPage.status, 200);
    assert.equal((await call(`${emu.url}/ui/sales_invoices/${"f".repeat(32)}`)).status, 404);
  });
});

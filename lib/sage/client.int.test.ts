import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { SyncError } from "@/lib/errors";
import { createSageClient, type SageClient } from "./client";
import { sageEndpointsForOrigin } from "./config";
import { sageIdempotencyId } from "./idempotency";
import { sendJson, startTestServer, type TestServer } from "../../test/support/sage/scripted-server";

const BUSINESS = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
const CONTACT_ID = "44a60404cfec4b189f1052be8141d2c8";

let server: TestServer;
let tokenCalls: Array<{ forceRefresh?: boolean } | undefined>;

function client(overrides: { businessId?: string | null; timeoutMs?: number } = {}): SageClient {
  const endpoints = sageEndpointsForOrigin(server.origin, { clientId: "cid", clientSecret: "csecret", redirectUri: "http://127.0.0.1/cb" });
  return createSageClient({
    endpoints,
    businessId: overrides.businessId === undefined ? BUSINESS : overrides.businessId,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    getAccessToken: async (opts) => {
      tokenCalls.push(opts);
      return opts?.forceRefresh ? "fresh-token" : "stale-token";
    },
  });
}

async function rejectsWith(p: Promise<unknown>, check: (e: SyncError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SyncError, `expected SyncError, got ${String(e)}`);
    check(e);
    return true;
  });
}

const invoiceInput = {
  contact_id: CONTACT_ID,
  date: "2026-05-01",
  reference: "INV-100000042",
  invoice_lines: [
    {
      description: "Blue mug",
      ledger_account_id: "9a994b92267a11e797950a57719b2edb",
      unit_price: 10,
      quantity: 2,
      tax_rate_id: "GB_STANDARD",
      tax_amount: 4,
    },
  ],
};

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => {
  tokenCalls = [];
});

describe("Sage client against a real HTTP server", () => {
  it("follows $next across 3 pages at 200 per page, keeping filters and parsing string money", async () => {
    const pages: Record<string, unknown> = {
      "1": {
        $total: 5,
        $page: 1,
        $itemsPerPage: 2,
        $next: "/contacts?page=2&items_per_page=200&attributes=all&search=M5",
        $back: null,
        $items: [
          { id: "c1", displayed_as: "Ann (M5)", reference: "M5", balance: "12.50" },
          { id: "c2", displayed_as: "Bob (M5E)", reference: "M5E", balance: 0 },
        ],
      },
      // Sage example style: `/v3.1` prefix, filters dropped — the client must carry them over.
      "2": {
        $total: 5,
        $page: 2,
        $items_per_page: 2,
        $next: "/v3.1/contacts?page=3",
        $back: "/contacts?page=1",
        $items: [
          { id: "c3", displayed_as: "Cy", reference: "M51" },
          { id: "c4", displayed_as: "Di", reference: null },
        ],
      },
      "3": {
        $total: 5,
        $page: 3,
        $itemsPerPage: 2,
        $next: null,
        $back: "/contacts?page=2",
        $items: [{ id: "c5", displayed_as: "Ed", reference: "M5U" }],
      },
    };
    server.handle((req, res) => sendJson(res, 200, pages[req.url.searchParams.get("page") ?? "1"]));

    const rows = await client().listContacts({ search: "M5" });

    assert.deepEqual(
      rows.map((r) => r.id),
      ["c1", "c2", "c3", "c4", "c5"],
    );
    assert.equal(rows[0].balance, 12.5);
    assert.equal(rows[1].balance, 0);
    assert.equal(server.requests.length, 3);
    for (const r of server.requests) {
      assert.equal(r.url.pathname, "/v3.1/contacts");
      assert.equal(r.url.searchParams.get("items_per_page"), "200");
      assert.equal(r.url.searchParams.get("search"), "M5");
      assert.equal(r.url.searchParams.get("attributes"), "all");
      assert.equal(r.headers.authorization, "Bearer stale-token");
      assert.equal(r.headers["x-business"], BUSINESS);
    }
    assert.deepEqual(
      server.requests.map((r) => r.url.searchParams.get("page")),
      [null, "2", "3"],
    );
  });

  it("findContactsByReference keeps only exact reference matches", async () => {
    server.handle((_req, res) =>
      sendJson(res, 200, {
        $total: 2,
        $page: 1,
        $next: null,
        $itemsPerPage: 200,
        $items: [
          { id: "c1", displayed_as: "A", reference: "M5" },
          { id: "c2", displayed_as: "B", reference: "M5E" },
        ],
      }),
    );
    const rows = await client().findContactsByReference("M5");
    assert.deepEqual(
      rows.map((r) => r.id),
      ["c1"],
    );
    assert.equal(server.requests[0].url.searchParams.get("contact_type_id"), "CUSTOMER");
  });

  it("on a 401 forces one token refresh and retries with the new token", async () => {
    server.handle((req, res) => {
      if (req.headers.authorization !== "Bearer fresh-token") {
        return sendJson(res, 401, [{ $severity: "error", $dataCode: "AuthorizationFailure", $message: "Token expired", $source: "" }]);
      }
      sendJson(res, 200, {
        id: CONTACT_ID,
        displayed_as: "Jane Doe (M5)",
        name: "Jane Doe",
        reference: "M5",
        currency: { id: "GBP", displayed_as: "Pound Sterling" },
      });
    });
    const contact = await client().getContact(CONTACT_ID);
    assert.equal(contact.name, "Jane Doe");
    assert.equal(contact.currency?.id, "GBP");
    assert.deepEqual(tokenCalls, [undefined, { forceRefresh: true }]);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ["Bearer stale-token", "Bearer fresh-token"],
    );
  });

  it("a second 401 after the refresh is an auth failure, not a loop", async () => {
    server.handle((_req, res) =>
      sendJson(res, 401, [{ $dataCode: "AuthorizationFailure", $message: "No active subscription. (MSE)", $source: "" }]),
    );
    await rejectsWith(client().getContact(CONTACT_ID), (e) => {
      assert.equal(e.syncClass, "auth");
      assert.equal(e.message, "No active subscription. (MSE)");
      assert.equal(e.status, 401);
    });
    assert.equal(server.requests.length, 2);
    assert.equal(tokenCalls.length, 2);
  });

  it("429 with Retry-After is rate_limited with retryAfterSeconds", async () => {
    server.handle((_req, res) =>
      sendJson(res, 429, [{ $severity: "error", $dataCode: "TooManyRequests", $message: "Rate limit exceeded", $source: "" }], {
        "Retry-After": "7",
      }),
    );
    await rejectsWith(client().listTaxRates(), (e) => {
      assert.equal(e.syncClass, "rate_limited");
      assert.equal(e.retryAfterSeconds, 7);
      assert.equal(e.retryable, true);
    });
  });

  it("422 RecordInvalid error array is provider with Sage's first $message and $source", async () => {
    server.handle((_req, res) =>
      sendJson(res, 422, [
        { $severity: "error", $dataCode: "RecordInvalid", $message: "This field is required.", $source: "line_items.tax_rate_id" },
        { $severity: "error", $dataCode: "RecordInvalid", $message: "is too long", $source: "reference" },
      ]),
    );
    await rejectsWith(client().createSalesInvoice(invoiceInput, { idempotencyKey: "bind1:invoice:42:1" }), (e) => {
      assert.equal(e.syncClass, "provider");
      assert.equal(e.providerCode, "RecordInvalid");
      assert.equal(e.status, 422);
      assert.equal(e.message, "line_items.tax_rate_id: This field is required. (+1 more)");
      assert.equal(e.retryable, false);
      assert.equal(JSON.stringify(e).includes("stale-token"), false);
    });
  });

  it("500 is http (retryable)", async () => {
    server.handle((_req, res) =>
      sendJson(res, 500, [{ $severity: "error", $dataCode: "UnexpectedError", $message: "An unexpected error occurred.", $source: "" }]),
    );
    await rejectsWith(client().getSalesInvoice("abc"), (e) => {
      assert.equal(e.syncClass, "http");
      assert.equal(e.providerCode, "UnexpectedError");
      assert.equal(e.retryable, true);
    });
  });

  it("404 is not_found", async () => {
    server.handle((_req, res) =>
      sendJson(res, 404, [{ $severity: "error", $dataCode: "RecordNotFound", $message: "Couldn't find record.", $source: "" }]),
    );
    await rejectsWith(client().getSalesCreditNote("gone"), (e) => assert.equal(e.syncClass, "not_found"));
  });

  it("a server that never answers times out as http", async () => {
    server.handle(() => {
      /* never respond */
    });
    await rejectsWith(client({ timeoutMs: 300 }).getFinancialSettings(), (e) => {
      assert.equal(e.syncClass, "http");
      assert.match(e.message, /timed out after 300 ms/);
    });
  });

  it("a 200 whose body is not JSON is serde", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{not json");
    });
    await rejectsWith(client().getSalesInvoice("abc"), (e) => {
      assert.equal(e.syncClass, "serde");
      assert.match(e.message, /not JSON/);
    });
  });

  it("a 200 with the wrong shape is serde", async () => {
    server.handle((_req, res) => sendJson(res, 200, { displayed_as: "SI-1", total_amount: "abc" }));
    await rejectsWith(client().getSalesInvoice("abc"), (e) => {
      assert.equal(e.syncClass, "serde");
      assert.match(e.message, /id/);
    });
  });

  it("creates an invoice with a deterministic idempotency_id inside the resource root", async () => {
    server.handle((_req, res) =>
      sendJson(res, 201, {
        id: "5f1c0000000000000000000000000001",
        displayed_as: "SI-1",
        invoice_number: "SI-1",
        reference: "INV-100000042",
        total_amount: "24.0",
        outstanding_amount: "24.0",
        status: { id: "UNPAID", displayed_as: "Unpaid" },
        contact: { id: CONTACT_ID },
      }),
    );
    const c = client();
    const first = await c.createSalesInvoice(invoiceInput, { idempotencyKey: "bind1:invoice:42:1" });
    await c.createSalesInvoice(invoiceInput, { idempotencyKey: "bind1:invoice:42:1" });

    assert.equal(first.displayed_as, "SI-1");
    assert.equal(first.total_amount, 24);
    assert.equal(first.outstanding_amount, 24);
    assert.equal(first.status?.id, "UNPAID");
    const bodies = server.requests.map((r) => JSON.parse(r.body) as { sales_invoice: Record<string, unknown> });
    const expectedId = sageIdempotencyId("sales_invoice", "bind1:invoice:42:1");
    assert.equal(bodies[0].sales_invoice.idempotency_id, expectedId);
    assert.equal(bodies[1].sales_invoice.idempotency_id, expectedId);
    assert.equal(bodies[0].sales_invoice.contact_id, CONTACT_ID);
    assert.equal(server.requests[0].method, "POST");
    assert.equal(server.requests[0].url.pathname, "/v3.1/sales_invoices");
    assert.match(String(server.requests[0].headers["content-type"]), /^application\/json/);
  });

  it("rejects an invalid payload as validation before calling Sage", async () => {
    server.handle((_req, res) => sendJson(res, 201, {}));
    await rejectsWith(
      client().createContact({ name: "Jane", contact_type_ids: ["CUSTOMER"], reference: "M123456789X" }, { idempotencyKey: "k" }),
      (e) => {
        assert.equal(e.syncClass, "validation");
        // zod's own words (z.prettifyError): what is wrong, then where.
        assert.match(e.message, /^contact:\n✖ Too big: .*\n {2}→ at reference$/);
      },
    );
    assert.equal(server.requests.length, 0);
  });

  it("without a business only /businesses may be called, and without X-Business", async () => {
    server.handle((_req, res) =>
      sendJson(res, 200, {
        $total: 1,
        $page: 1,
        $next: null,
        $items_per_page: 2147483647,
        $items: [{ id: BUSINESS, displayed_as: "Demo Ltd", name: "Demo Ltd" }],
      }),
    );
    const c = client({ businessId: null });
    const businesses = await c.listBusinesses();
    assert.deepEqual(
      businesses.map((b) => b.name),
      ["Demo Ltd"],
    );
    assert.equal(server.requests[0].headers["x-business"], undefined);
    await rejectsWith(c.listCurrencies(), (e) => assert.equal(e.syncClass, "internal"));
    assert.equal(server.requests.length, 1);
  });

  it("refuses to follow $next to another origin (the bearer token would go with it)", async () => {
    server.handle((_req, res) =>
      sendJson(res, 200, {
        $total: 400,
        $page: 1,
        $next: "https://evil.example/v3.1/currencies?page=2",
        $items: [{ id: "GBP", displayed_as: "Pound Sterling" }],
      }),
    );
    await rejectsWith(client().listCurrencies(), (e) => assert.equal(e.syncClass, "serde"));
    assert.equal(server.requests.length, 1);
  });
});

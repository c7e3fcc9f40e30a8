import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { SyncError } from "@/lib/errors";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { createMagentoClient, type MagentoClient } from "./client";
import { FakeMagento } from "../../test/support/magento/fake-magento";

/**
 * The Magento client against a real HTTP server on 127.0.0.1 that answers like the Byte8 module
 * (test/support/magento/fake-magento.ts) and checks every token with an independent model of Magento's
 * verifier. Pairing, against the same server: pairing.int.test.ts.
 */

const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const API_KEY = "byte8_lk_raw_secret";
const devFetch = createGuardedFetch({ allowPrivate: true, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });

let magento: FakeMagento;
let client: MagentoClient;

before(async () => {
  magento = await new FakeMagento(API_KEY, TENANT).start();
});
after(async () => {
  await magento.close();
});
beforeEach(() => {
  client = createMagentoClient({ baseUrl: `${magento.baseUrl}/`, connectionId: TENANT, apiKey: API_KEY, fetchImpl: devFetch });
});

async function syncError(p: Promise<unknown>): Promise<SyncError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SyncError, `expected SyncError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a SyncError");
}

describe("signed REST calls (§8)", () => {
  it("ping: signed GET with Accept json; the stock list body is normalised", async () => {
    const ping = await client.ping();
    assert.equal(ping?.ok, true);
    assert.equal(ping?.tenant_id, TENANT);
    const req = magento.requests.at(-1)!;
    assert.equal(req.method, "GET");
    assert.equal(req.path, "/rest/V1/byte8/ping");
    assert.equal(req.headers.accept, "application/json");
    assert.deepEqual(req.token?.ok, true);
  });

  it("fetches and validates every canonical entity", async () => {
    const invoice = await client.getInvoice(42);
    assert.equal(invoice.increment_id, "000000042");
    assert.equal(invoice.customer.email, "jo@example.com");
    assert.equal(invoice.lines[0].tax_rate, 0.2);
    assert.equal((await client.getCreditMemo(9)).invoice_id, undefined);
    assert.equal((await client.getCustomer(5)).addresses.length, 2);
    assert.equal((await client.getProduct(7)).tax_class, "2");
    assert.deepEqual((await client.getPayment(42)).gateway_metadata, ["card", '{"brand":"visa","last4":"4242"}', true]);
    assert.deepEqual(
      (await client.paymentMethods()).map((m) => m.code),
      ["checkmo", "banktransfer"],
    );
  });

  it("mints a fresh token for every request (Magento rejects a reused jti)", async () => {
    const before = magento.requests.length;
    for (let i = 0; i < 5; i++) await client.ping();
    const tokens = magento.requests.slice(before).map((r) => r.token);
    assert.ok(tokens.every((t) => t?.ok));
    assert.equal(new Set(tokens.map((t) => t?.jti)).size, 5);
  });

  it("refuses customer 0 (synthetic guest) and non-positive ids without calling Magento", async () => {
    const before = magento.requests.length;
    assert.equal((await syncError(client.getCustomer(0))).syncClass, "internal");
    assert.equal((await syncError(client.getInvoice(-1))).syncClass, "internal");
    assert.equal((await syncError(client.getProduct(1.5))).syncClass, "internal");
    assert.equal(magento.requests.length, before);
  });

  it("404s become not_found with Magento's message, placeholders filled", async () => {
    const invoice = await syncError(client.getInvoice(77));
    assert.equal(invoice.syncClass, "not_found");
    assert.equal(invoice.status, 404);
    assert.equal(invoice.message, "The entity that was requested doesn't exist. Verify the entity and try again.");
    assert.equal((await syncError(client.getCustomer(6))).message, "No such entity with customerId = 6");
    assert.equal((await syncError(client.getPayment(43))).message, "Invoice 43 has no associated order payment.");
  });

  it("a token Magento rejects (wrong key) is an auth error with the stock message", async () => {
    const wrong = createMagentoClient({ baseUrl: magento.baseUrl, connectionId: TENANT, apiKey: "byte8_lk_x", fetchImpl: devFetch });
    const e = await syncError(wrong.ping());
    assert.equal(e.syncClass, "auth");
    assert.equal(e.status, 401);
    assert.equal(e.message, "The consumer isn't authorized to access Byte8_Client::byte8_webapi.");
    assert.equal(magento.requests.at(-1)?.token?.reason, "signature");
  });

  it("does not retry a 5xx itself (the workflow engine does): one request, a retryable http error; the next call carries a new token", async () => {
    magento.script("/rest/V1/byte8/invoice/42", { status: 503, body: '{"message":"Service Unavailable"}' });
    const before = magento.requests.length;
    const e = await syncError(client.getInvoice(42));
    assert.equal(e.syncClass, "http");
    assert.equal(e.status, 503);
    assert.equal(e.retryable, true);
    assert.equal(e.origin, "magento");
    assert.equal(magento.requests.length, before + 1);
    assert.equal((await client.getInvoice(42)).magento_id, 42);
    const attempts = magento.requests.slice(before);
    assert.equal(attempts.length, 2);
    assert.ok(attempts.every((a) => a.token?.ok));
    assert.notEqual(attempts[0].token?.jti, attempts[1].token?.jti);
  });

  it("a 502 with an HTML body is a retryable http error", async () => {
    magento.script("/rest/V1/byte8/invoice/42", { status: 502, body: "<html>bad gateway</html>" });
    const e = await syncError(client.getInvoice(42));
    assert.equal(e.syncClass, "http");
    assert.equal(e.status, 502);
    assert.equal(e.retryable, true);
  });

  it("does not retry permanent or rate-limit answers", async () => {
    magento.script("/rest/V1/byte8/product/7", { status: 429, body: '{"message":"Too many requests"}', headers: { "Retry-After": "30" } });
    magento.script("/rest/V1/byte8/creditmemo/9", { status: 400, body: '{"message":"An ID is needed. Set the ID and try again."}' });
    const before = magento.requests.length;
    const limited = await syncError(client.getProduct(7));
    assert.equal(limited.syncClass, "rate_limited");
    assert.equal(limited.retryAfterSeconds, 30);
    assert.equal((await syncError(client.getCreditMemo(9))).syncClass, "validation");
    assert.equal(magento.requests.length, before + 2);
  });

  it("a 2xx that is not the canonical shape is a serde error", async () => {
    magento.script("/rest/V1/byte8/invoice/42", { status: 200, body: '{"magento_id":42}' });
    const shape = await syncError(client.getInvoice(42));
    assert.equal(shape.syncClass, "serde");
    assert.match(shape.message, /increment_id/);
    magento.script("/rest/V1/byte8/payment-methods", { status: 200, body: "<html>maintenance</html>" });
    assert.equal((await syncError(client.paymentMethods())).syncClass, "serde");
  });

  it("ping judges by status: an unrecognisable 200 body resolves to null", async () => {
    magento.script("/rest/V1/byte8/ping", { status: 200, body: '{"something":"else"}' });
    assert.equal(await client.ping(), null);
  });

  it("a redirect is not followed and names the new location", async () => {
    magento.script("/rest/V1/byte8/ping", { status: 301, headers: { Location: "https://shop.example.com/rest/V1/byte8/ping" } });
    const e = await syncError(client.ping());
    assert.equal(e.syncClass, "http");
    assert.equal(e.status, 301);
    assert.match(e.message, /https:\/\/shop\.example\.com/);
  });

  it("a slow Magento times out: one request, a retryable http error", async () => {
    const impatient = createMagentoClient({
      baseUrl: magento.baseUrl,
      connectionId: TENANT,
      apiKey: API_KEY,
      fetchImpl: createGuardedFetch({ allowPrivate: true, connectTimeoutMs: 300, totalTimeoutMs: 300 }),
    });
    magento.script("/rest/V1/byte8/ping", { status: 200, body: "[]", delayMs: 2_000 });
    const before = magento.requests.length;
    const e = await syncError(impatient.ping());
    assert.equal(e.syncClass, "http");
    assert.equal(e.retryable, true);
    assert.deepEqual((e.details as { failure: string }).failure, "timeout");
    assert.equal(magento.requests.length - before, 1);
  });

  it("the default guarded fetch refuses a private address (production default)", async () => {
    const before = magento.requests.length;
    const prod = createMagentoClient({ baseUrl: magento.baseUrl, connectionId: TENANT, apiKey: API_KEY });
    assert.equal((await syncError(prod.ping())).syncClass, "validation");
    assert.equal(magento.requests.length, before);
  });

  it("refuses an unusable base URL up front", () => {
    assert.throws(() => createMagentoClient({ baseUrl: "shop.example.com", connectionId: TENANT, apiKey: API_KEY }), SyncError);
  });
});

describe("pushSyncState (§9.1)", () => {
  it("posts the body Magento upserts, last_sync_at as whole-second UTC", async () => {
    await client.pushSyncState({
      entity_type: "invoice",
      magento_entity_id: 42,
      provider: "sage_accounting",
      sync_status: "synced",
      provider_entity_id: "sage-uuid-1",
      provider_reference: "SI-27",
      last_sync_at: new Date("2026-04-30T12:00:00.750Z"),
    });
    const req = magento.requests.at(-1)!;
    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-type"], "application/json");
    assert.equal(
      req.body,
      '{"entity_type":"invoice","magento_entity_id":42,"provider":"sage_accounting","sync_status":"synced","provider_entity_id":"sage-uuid-1","provider_reference":"SI-27","last_sync_at":"2026-04-30 12:00:00"}',
    );
    assert.deepEqual(magento.syncState.get("invoice:42:sage_accounting"), {
      sync_status: "synced",
      provider_entity_id: "sage-uuid-1",
      provider_reference: "SI-27",
      skip_reason: null,
      error_code: null,
      last_sync_at: "2026-04-30 12:00:00",
    });
  });

  it("defaults last_sync_at to the client's clock (the same clock that signs the token)", async () => {
    const at = new Date();
    const c = createMagentoClient({ baseUrl: magento.baseUrl, connectionId: TENANT, apiKey: API_KEY, fetchImpl: devFetch, now: () => at });
    await c.pushSyncState({
      entity_type: "creditmemo",
      magento_entity_id: 9,
      provider: "sage_accounting",
      sync_status: "failed",
      error_code: "provider",
    });
    const row = magento.syncState.get("creditmemo:9:sage_accounting");
    assert.equal(
      row?.last_sync_at,
      `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-${String(at.getUTCDate()).padStart(2, "0")} ${at.toISOString().slice(11, 19)}`,
    );
    assert.equal(row?.error_code, "provider");
    assert.equal(row?.provider_entity_id, null);
  });

  it("refuses pending and over-long values before calling Magento", async () => {
    const before = magento.requests.length;
    const pending = await syncError(
      client.pushSyncState({
        entity_type: "invoice",
        magento_entity_id: 1,
        provider: "sage_accounting",
        sync_status: "pending" as "synced",
      }),
    );
    assert.equal(pending.syncClass, "internal");
    const long = await syncError(
      client.pushSyncState({
        entity_type: "invoice",
        magento_entity_id: 1,
        provider: "sage_accounting",
        sync_status: "failed",
        error_code: "e".repeat(65),
      }),
    );
    assert.equal(long.syncClass, "internal");
    assert.equal(magento.requests.length, before);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { MagentoSim } from "./server.ts";
import { call, mintInbound, startTestSim, T0 } from "./test-helpers.ts";

/** Pairing (§7.2), inbound auth (§3.3), sync-state (§9.1), canonical REST output (§8) and restart. */

const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const KEY = "byte8_lk_raw_secret";
const NOW = Math.floor(T0 / 1000);
const UNAUTHORIZED =
  '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Byte8_Client::byte8_webapi"}}';

let sim: MagentoSim;
const auth = (over: Record<string, unknown> = {}) => ({
  authorization: `Bearer ${mintInbound(KEY, TENANT, NOW, over)}`,
  accept: "application/json",
});
const get = (path: string, headers: Record<string, string> = auth()) => call(sim, "GET", `/rest/V1/byte8/${path}`, undefined, headers);

before(async () => {
  sim = await startTestSim("rest-int");
});
after(async () => {
  await sim.stop();
});

describe("setup/pair", () => {
  const body = (code: string, over: Record<string, unknown> = {}) => ({
    pairing_code: code,
    tenant_id: TENANT,
    byte8_api_key: KEY,
    ledger_base_url: "https://ledger.example/",
    ...over,
  });
  const pair = (b: unknown, prefix = "/rest/V1") => call(sim, "POST", `${prefix}/byte8/setup/pair`, b);

  it("rejects every failure with Magento's exact statuses and bodies", async () => {
    assert.deepEqual(await pair(body("deadbeefcafef00d0123456789abcdef")).then((r) => [r.status, r.text]), [
      401,
      '{"message":"Invalid or expired pairing code."}',
    ]);
    const { code } = (await call(sim, "POST", "/admin/api/pairing-code")).json as { code: string };
    assert.match(code, /^[0-9a-f]{32}$/);

    const missingOne = await pair({ tenant_id: TENANT, byte8_api_key: KEY, ledger_base_url: "https://x" });
    assert.equal(missingOne.status, 400);
    assert.equal(
      missingOne.text,
      '{"message":"\\"%fieldName\\" is required. Enter and try again.","parameters":{"fieldName":"pairingCode"}}',
    );
    const missingTwo = await pair({ pairing_code: null, byte8_api_key: KEY, ledger_base_url: "https://x" });
    assert.deepEqual(missingTwo.json, {
      message: "One or more input exceptions have occurred.",
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: "pairingCode" } },
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: "tenantId" } },
      ],
    });
    assert.deepEqual(await pair(body(code, { tenant_id: "   " })).then((r) => [r.status, r.json]), [
      400,
      { message: "pairing_code, tenant_id, byte8_api_key and ledger_base_url are all required." },
    ]);
    assert.deepEqual(await pair(body(code, { ledger_base_url: "ftp://ledger" })).then((r) => [r.status, r.json]), [
      400,
      { message: "ledger_base_url must be an absolute http(s) URL." },
    ]);
    assert.equal((await pair(body(code.toUpperCase()))).status, 401, "the hash comparison is case-sensitive");
    assert.equal((await pair(body("0".repeat(32)))).status, 401);

    sim.setClockOffset(1801);
    assert.equal((await pair(body(code))).status, 401, "expired after 1800 s");
    sim.setClockOffset(1800);
    // A failed attempt does not consume the code; at exactly 1800 s it is still valid. camelCase keys map too.
    const ok = await pair(
      { pairingCode: ` ${code} `, tenantId: TENANT, byte8ApiKey: KEY, ledgerBaseUrl: "https://ledger.example/" },
      "/rest/default/V1",
    );
    sim.setClockOffset(0);
    assert.deepEqual([ok.status, ok.text], [200, "[]"]);
    assert.equal((await pair(body(code))).status, 401, "single use");

    const state = (await call(sim, "GET", "/admin/api/state")).json as Record<string, unknown>;
    assert.equal(state.tenant_id, TENANT);
    assert.equal(state.base_url, "https://ledger.example");
    assert.equal(state.provider_connected, true);
    assert.equal(state.pairing_code_pending, false);
  });
});

describe("inbound auth", () => {
  it("401s without a valid Byte8 token, with the stock body", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer nonsense" },
      auth({ aud: ["magento"] }),
      { authorization: `Bearer ${mintInbound("byte8_lk_wrong", TENANT, NOW)}` },
    ]) {
      const r = await get("ping", headers as Record<string, string>);
      assert.deepEqual([r.status, r.text], [401, UNAUTHORIZED]);
    }
  });

  it("accepts a fresh token once (case-insensitive Bearer), rejects its replay", async () => {
    const token = mintInbound(KEY, TENANT, NOW);
    const first = await get("ping", { authorization: `bEaReR  ${token} ` });
    assert.deepEqual([first.status, first.text], [200, `[true,"${TENANT}","2026-04-30T12:00:00+00:00"]`]);
    assert.equal((await get("ping", { authorization: `Bearer ${token}` })).status, 401);
    const log = (await call(sim, "GET", "/admin/api/auth-log")).json as { result: string; reason: string | null }[];
    assert.equal(log.at(-1)?.reason, "jti already seen — replay rejected");
  });

  it("applies the clock rules against the sim clock (offset via admin API)", async () => {
    await call(sim, "POST", "/admin/api/clock", { offset_seconds: -1 });
    assert.equal((await get("ping", auth({ nbf: NOW }))).status, 401, "nbf > now, no skew");
    await call(sim, "POST", "/admin/api/clock", { offset_seconds: 0 });
    assert.equal((await get("ping", auth({ nbf: NOW }))).status, 200);
    assert.equal((await get("ping", auth({ iat: NOW - 200, nbf: NOW - 200, exp: NOW + 101 }))).status, 401, "exp - iat > 300");
  });

  it("lists payment methods with label null where the title is blank", async () => {
    const r = await get("payment-methods");
    const list = r.json as { code: string; label: string | null; is_active: boolean }[];
    assert.deepEqual(list[0], { code: "checkmo", label: "Check / Money order", is_active: true });
    assert.ok(r.text.includes('"label":"Check \\/ Money order"'), "REST output escapes slashes");
    assert.deepEqual(
      list.find((m) => m.code === "klarna_kp"),
      { code: "klarna_kp", label: null, is_active: false },
    );
  });
});

describe("sync-state", () => {
  const post = (b: unknown) => call(sim, "POST", "/rest/V1/byte8/sync-state", b, auth());
  const mirror = async () => (await call(sim, "GET", "/admin/api/mirror?entity_type=invoice")).json as Record<string, unknown>[];

  it("validates in the module's order with its messages", async () => {
    const base = { entity_type: "invoice", magento_entity_id: 5, provider: "sage_accounting", sync_status: "synced" };
    assert.deepEqual((await post({ ...base, provider: undefined })).json, {
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: "provider" },
    });
    assert.deepEqual((await post({ ...base, entity_type: "order" })).json, {
      message: "Unknown entity_type %1; expected one of: %2",
      parameters: ["order", "invoice, creditmemo, customer, product"],
    });
    assert.deepEqual((await post({ ...base, magento_entity_id: "0" })).json, { message: "magento_entity_id must be positive" });
    assert.deepEqual((await post({ ...base, provider: "" })).json, { message: "provider must be non-empty" });
    const pending = await post({ ...base, sync_status: "pending" });
    assert.deepEqual(
      [pending.status, pending.json],
      [
        400,
        {
          message: "Invalid sync_status %1; pending is Magento-side only and must not arrive via callback. Expected: %2",
          parameters: ["pending", "synced, skipped, failed"],
        },
      ],
    );
    assert.equal((await post({ ...base, magento_entity_id: "abc" })).status, 400);
  });

  it("upserts every column; nulls overwrite", async () => {
    const first = await post({
      entity_type: "invoice",
      magento_entity_id: 77,
      provider: "sage_accounting",
      sync_status: "synced",
      provider_entity_id: "uuid-1",
      provider_reference: "SI-27",
      last_sync_at: "2026-04-29T10:11:12Z",
    });
    assert.deepEqual([first.status, first.text], [200, "[]"]);
    let row = (await mirror()).find((m) => m.magento_id === 77)!;
    assert.deepEqual(
      [row.sync_status, row.provider_entity_id, row.provider_reference, row.last_sync_at],
      ["synced", "uuid-1", "SI-27", "2026-04-29 10:11:12"],
    );
    await post({
      entityType: "invoice",
      magentoEntityId: 77,
      provider: "sage_accounting",
      syncStatus: "failed",
      errorCode: "validation",
      lastSyncAt: "2026-04-29 11:00:00",
    });
    row = (await mirror()).find((m) => m.magento_id === 77)!;
    assert.deepEqual(
      [row.sync_status, row.provider_entity_id, row.provider_reference, row.error_code, row.last_sync_at],
      ["failed", null, null, "validation", "2026-04-29 11:00:00"],
    );
  });
});

describe("canonical REST output", () => {
  it("serialises like Magento: key order, omitted nulls, whole floats, negative discount", async () => {
    const product = (
      await call(sim, "POST", "/admin/api/products", {
        sku: "SRV/1",
        name: "Setup service",
        type_id: "virtual",
        price: 100,
        tax_class_id: 2,
      })
    ).json as { entity_id: number };
    const customer = (
      await call(sim, "POST", "/admin/api/customers", {
        email: "b2b@example.com",
        firstname: "Jürgen",
        lastname: "Müller",
        company: "Müller GmbH",
        country: "DE",
      })
    ).json as { entity_id: number };
    const created = (
      await call(sim, "POST", "/admin/api/orders", {
        customer_id: customer.entity_id,
        currency: "EUR",
        country: "GB",
        payment_method: "purchaseorder",
        po_number: "PO-9",
        lines: [{ product_id: product.entity_id, qty: 2, discount_percent: 10 }],
        created_at: "2026-04-01T09:30:00Z",
      })
    ).json as { invoice: { entity_id: number } };
    const r = await get(`invoice/${created.invoice.entity_id}`);
    assert.equal(r.status, 200);
    const inv = r.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(inv), [
      "magento_id",
      "increment_id",
      "order_id",
      "order_increment_id",
      "website_id",
      "store_id",
      "currency",
      "state",
      "customer",
      "lines",
      "subtotal",
      "tax_amount",
      "shipping_amount",
      "shipping_tax_amount",
      "discount_amount",
      "grand_total",
      "created_at",
      "payment_method",
      "billing_address",
      "po_number",
      "base_to_order_rate",
    ]);
    assert.ok(
      r.text.includes(
        '"lines":[{"sku":"SRV\\/1","name":"Setup service","qty":2,"unit_price":117,"line_subtotal":234,"line_tax":42.12,"line_total":252.72,"tax_rate":0.18,"product_type":"virtual"}]',
      ),
      r.text,
    );
    assert.ok(
      r.text.includes(
        '"subtotal":234,"tax_amount":42.12,"shipping_amount":0,"shipping_tax_amount":0,"discount_amount":-23.4,"grand_total":252.72,"created_at":"2026-04-01T09:30:00Z","payment_method":"purchaseorder"',
      ),
      r.text,
    );
    assert.ok(r.text.endsWith('"po_number":"PO-9","base_to_order_rate":1.17}'), r.text);
    assert.ok(r.text.includes('"first_name":"J\\u00fcrgen"'));
    assert.equal(inv.state, "open");
  });

  it("404/400 bodies for missing ids", async () => {
    assert.deepEqual(await get("customer/999").then((r) => [r.status, r.json]), [
      404,
      { message: "No such entity with %fieldName = %fieldValue", parameters: { fieldName: "customerId", fieldValue: 999 } },
    ]);
    assert.deepEqual(await get("creditmemo/999").then((r) => [r.status, r.json]), [
      404,
      { message: "The entity that was requested doesn't exist. Verify the entity and try again." },
    ]);
    assert.deepEqual(await get("creditmemo/0").then((r) => [r.status, r.json]), [
      400,
      { message: "An ID is needed. Set the ID and try again." },
    ]);
    assert.deepEqual(await get("product/999").then((r) => [r.status, r.json]), [
      404,
      { message: "The product that was requested doesn't exist. Verify the product and try again." },
    ]);
    assert.deepEqual(await get("nope").then((r) => [r.status, r.json]), [404, { message: "Request does not match any route." }]);
  });

  it("payment 404 when the order has no payment", async () => {
    const product = (await call(sim, "POST", "/admin/api/products", { sku: "P2", name: "Thing", type_id: "simple", price: 10 })).json as {
      entity_id: number;
    };
    const created = (
      await call(sim, "POST", "/admin/api/orders", {
        guest: { email: "g@example.net" },
        country: "US",
        payment_method: null,
        lines: [{ product_id: product.entity_id, qty: 1 }],
      })
    ).json as { invoice: { entity_id: number } };
    const id = created.invoice.entity_id;
    assert.deepEqual(await get(`payment/${id}`).then((r) => [r.status, r.json]), [
      404,
      { message: "Invoice %1 has no associated order payment.", parameters: [id] },
    ]);
    const inv = (await get(`invoice/${id}`)).json as Record<string, unknown>;
    assert.equal("payment_method" in inv, false);
    assert.equal((inv.customer as Record<string, unknown>).magento_id, 0);
    assert.equal("group_id" in (inv.customer as Record<string, unknown>), false);
  });
});

describe("restart", () => {
  it("keeps pairing and data across a restart", async () => {
    const before = (await call(sim, "GET", "/admin/api/invoices")).json as unknown[];
    await sim.stop();
    const { startMagentoSim } = await import("./server.ts");
    const { TEST_DATABASE_URL } = await import("./test-helpers.ts");
    sim = await startMagentoSim({ databaseUrl: TEST_DATABASE_URL, port: 0, storeKey: "rest-int", drainSeconds: 0, clock: () => T0 });
    assert.equal((await get("ping")).status, 200);
    assert.deepEqual((await call(sim, "GET", "/admin/api/invoices")).json, before);
  });
});

// Last: it resets the store, which unpairs it.
describe("simulated outage (admin API)", () => {
  const setOutage = (body: unknown) => call(sim, "POST", "/admin/api/outage", body);

  it("error, maintenance and down, for every REST call; none and reset bring the API back", async () => {
    assert.equal((await get("ping")).status, 200);

    assert.equal((await setOutage({ mode: "error" })).status, 200);
    const masked = await get("ping");
    assert.equal(masked.status, 500);
    assert.deepEqual(masked.json, {
      message: "Internal Error. Details are available in Magento log file. Report ID: %1",
      parameters: ["webapi-6a1f0c2e9b3d4"],
    });
    await setOutage({ mode: "error", message: "SQLSTATE[HY000] [2002] Connection refused" });
    assert.deepEqual(await get("payment-methods").then((r) => [r.status, r.json]), [
      500,
      { message: "SQLSTATE[HY000] [2002] Connection refused" },
    ]);

    await setOutage({ mode: "maintenance" });
    const maintenance = await get("ping");
    assert.equal(maintenance.status, 503);
    assert.match(maintenance.text, /Service Temporarily Unavailable/);

    await setOutage({ mode: "down" });
    await assert.rejects(get("ping"), (e: Error) => e instanceof TypeError && /fetch failed/.test(e.message));
    assert.equal(((await call(sim, "GET", "/admin/api/state")).json as { outage: string }).outage, "down", "the admin API keeps answering");

    await setOutage({ mode: "none" });
    assert.equal((await get("ping")).status, 200);
    await setOutage({ mode: "maintenance" });
    await call(sim, "POST", "/admin/api/reset");
    assert.deepEqual((await call(sim, "GET", "/admin/api/outage")).json, { mode: "none" });
  });

  it("rejects an unknown mode", async () => {
    const r = await setOutage({ mode: "sometimes" });
    assert.equal(r.status, 400, r.text);
  });
});

import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import type { MagentoSim } from "./server.ts";
import { call, pairSim, startLedgerStandIn, startTestSim, subkey, T0, type LedgerStandIn, type Recorded } from "./test-helpers.ts";

/** Outbox enqueue/dedupe (§6.2), drain outcomes (§6.3) against a real HTTP ledger stand-in, disconnect, health. */

const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const KEY = "byte8_lk_raw_secret";
const NOW = Math.floor(T0 / 1000);

interface Row {
  entity_id: number;
  idempotency_key: string;
  payload: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  next_attempt_at: string | null;
  last_error: string | null;
}

let sim: MagentoSim;
let ledger: LedgerStandIn;
let customerId = 0;

const outbox = async () => (await call(sim, "GET", "/admin/api/outbox")).json as Row[];
const drain = async () => ((await call(sim, "POST", "/admin/api/drain")).json as { results: { outcome: string }[] }).results;
const advance = (seconds: number) => call(sim, "POST", "/admin/api/clock", { advance_seconds: seconds });
const newCustomer = async (email: string) =>
  ((await call(sim, "POST", "/admin/api/customers", { email, firstname: "Zoë", lastname: "Test" })).json as { entity_id: number })
    .entity_id;

/** Independent check of a Magento → ledger token (wire-protocol §3.2). */
function verifyOutbound(rec: Recorded): Record<string, unknown> {
  const auth = String(rec.headers.authorization);
  assert.match(auth, /^Bearer /);
  const [h, p, s] = auth.slice(7).split(".");
  assert.equal(h, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  const expected = createHmac("sha256", subkey(KEY, "byte8-magento-outbound-v1")).update(`${h}.${p}`).digest("base64url");
  assert.equal(s, expected, "signed with the outbound subkey");
  const json = Buffer.from(p, "base64url").toString("utf8");
  const claims = JSON.parse(json) as Record<string, unknown>;
  assert.deepEqual(Object.keys(claims), ["iss", "sub", "aud", "iat", "nbf", "exp", "jti"]);
  assert.equal(claims.iss, "magento");
  assert.equal(claims.sub, TENANT);
  assert.equal(claims.aud, "byte8-ledger");
  assert.equal(claims.nbf, claims.iat);
  assert.equal((claims.exp as number) - (claims.iat as number), 60);
  assert.match(String(claims.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(!/\.\d|e/.test(json.replace(/"[^"]*"/g, "")), "times are JSON integers");
  return claims;
}

before(async () => {
  ledger = await startLedgerStandIn();
  sim = await startTestSim("outbox-int", { http: { connectTimeoutMs: 2000, totalTimeoutMs: 400 } });
});
after(async () => {
  await sim.stop();
  await ledger.close();
});
beforeEach(() => {
  ledger.requests.length = 0;
  ledger.replies.length = 0;
});

describe("enqueue", () => {
  it("enqueues nothing before pairing", async () => {
    await newCustomer("early@example.com");
    assert.deepEqual(await outbox(), []);
    assert.deepEqual(await drain(), []);
  });

  it("one row per idempotency key, in any status; pending mirror written", async () => {
    await pairSim(sim, TENANT, KEY, `${ledger.url}/`);
    customerId = await newCustomer("zoe@example.com");
    await call(sim, "POST", `/admin/api/customers/${customerId}`, { lastname: "Renamed" });
    const rows = await outbox();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].idempotency_key, `customer.upserted:${customerId}`);
    assert.equal(
      rows[0].payload,
      `{"magento_entity_id":${customerId},"website_id":1,"store_id":0,"occurred_at":"2026-04-30T12:00:00Z","payload":{}}`,
    );
    const mirror = (await call(sim, "GET", "/admin/api/mirror?entity_type=customer")).json as { magento_id: number; sync_status: string }[];
    assert.deepEqual(
      mirror.map((m) => [m.magento_id, m.sync_status]),
      [[customerId, "pending"]],
    );
  });
});

describe("drain", () => {
  it("2xx → succeeded; sends the stored body byte for byte with a fresh valid JWT", async () => {
    const results = await drain();
    assert.deepEqual(
      results.map((r) => r.outcome),
      ["succeeded"],
    );
    assert.equal(ledger.requests.length, 1);
    const rec = ledger.requests[0];
    assert.equal(rec.method, "POST");
    assert.equal(rec.url, `/webhooks/magento/${TENANT}/customer.upserted`);
    assert.equal(rec.headers["idempotency-key"], `customer.upserted:${customerId}`);
    assert.equal(rec.headers["content-type"], "application/json");
    assert.equal(rec.body, (await outbox())[0].payload);
    assert.equal(verifyOutbound(rec).iat, NOW);
    const row = (await outbox())[0];
    assert.deepEqual([row.status, row.attempts, row.last_status_code, row.last_error], ["succeeded", 1, 202, null]);
    await call(sim, "POST", `/admin/api/customers/${customerId}`, { firstname: "Again" });
    assert.equal((await outbox()).length, 1, "a succeeded row still blocks the key");
  });

  it("4xx → dead-lettered at once with the body; banner count; requeue", async () => {
    const id = await newCustomer("dead@example.com");
    ledger.replies.push({ status: 422, body: '{"error":"unknown_event"}' });
    await drain();
    const row = (await outbox()).find((r) => r.idempotency_key === `customer.upserted:${id}`)!;
    assert.deepEqual(
      [row.status, row.attempts, row.last_status_code, row.last_error],
      ["dead_lettered", 1, 422, 'HTTP 422: {"error":"unknown_event"}'],
    );
    assert.equal(((await call(sim, "GET", "/admin/api/state")).json as { dead_lettered: number }).dead_lettered, 1);
    const page = await call(sim, "GET", "/admin/invoices");
    assert.ok(page.text.includes("⚠ 1 event needs attention"));
    assert.deepEqual((await call(sim, "POST", "/admin/api/outbox/requeue", { all: true })).json, { requeued: 1 });
    const again = (await outbox()).find((r) => r.entity_id === row.entity_id)!;
    assert.deepEqual([again.status, again.attempts, again.last_error], ["pending", 0, 'HTTP 422: {"error":"unknown_event"}']);
    await drain();
  });

  it("503, timeout and 302 are transient with the backoff ladder", async () => {
    const id = await newCustomer("flaky@example.com");
    const key = `customer.upserted:${id}`;
    const find = async () => (await outbox()).find((r) => r.idempotency_key === key)!;

    ledger.replies.push({ status: 503 });
    await drain();
    let row = await find();
    assert.deepEqual([row.status, row.attempts, row.last_status_code, row.next_attempt_at], ["pending", 1, null, "2026-04-30 12:01:00"]);
    assert.equal(row.last_error, `Byte8 returned HTTP 503 from ${ledger.url}/webhooks/magento/${TENANT}/customer.upserted; will retry.`);

    await drain();
    assert.equal(ledger.requests.length, 1, "not due yet");

    await advance(60);
    ledger.replies.push("hang");
    await drain();
    row = await find();
    assert.equal(row.attempts, 2);
    assert.equal(row.next_attempt_at, "2026-04-30 12:06:00");
    assert.match(
      row.last_error ?? "",
      /^Network error publishing to Byte8 \(.+\): Operation timed out after \d+ milliseconds with 0 bytes received$/,
    );

    await advance(300);
    ledger.replies.push({ status: 302, headers: { location: "https://elsewhere.example/" } });
    await drain();
    row = await find();
    assert.equal(row.attempts, 3);
    assert.match(row.last_error ?? "", /HTTP 302 .*will retry\.$/);
    assert.equal(ledger.requests.filter((r) => r.url.includes("elsewhere")).length, 0, "redirects are not followed");

    ledger.fallback = () => ({ status: 503 });
    const ladder = [1800, 7200, 21600, 43200, 86400, 86400, 86400];
    for (const wait of ladder) {
      await advance(wait);
      await drain();
    }
    row = await find();
    assert.deepEqual([row.status, row.attempts, row.last_status_code], ["dead_lettered", 10, null]);
    assert.match(
      row.last_error ?? "",
      /^transient_exhausted: retries capped at MAX_TRANSIENT_ATTEMPTS without success — last error: Byte8 returned HTTP 503/,
    );
    ledger.fallback = () => ({ status: 202, body: "{}" });
  });

  it("invoice events: created then paid, same mirror row, callback wins over pending", async () => {
    const product = (
      (await call(sim, "POST", "/admin/api/products", { sku: "W1", name: "Widget", type_id: "simple", price: 20 })).json as {
        entity_id: number;
      }
    ).entity_id;
    const created = (
      await call(sim, "POST", "/admin/api/orders", {
        customer_id: customerId,
        lines: [{ product_id: product, qty: 1 }],
        payment_method: "braintree",
      })
    ).json as { invoice: { entity_id: number; increment_id: string } };
    const inv = created.invoice;
    const keys = (await outbox()).map((r) => r.idempotency_key);
    assert.deepEqual(keys.slice(-3), [`product.upserted:${product}`, `invoice.created:${inv.entity_id}`, `invoice.paid:${inv.entity_id}`]);
    const paidRow = (await outbox()).find((r) => r.idempotency_key === `invoice.created:${inv.entity_id}`)!;
    assert.ok(paidRow.payload.endsWith(`"payload":{"increment_id":"${inv.increment_id}","paid":true}}`));
    await drain();
    assert.deepEqual(
      ledger.requests.map((r) => r.url.split("/").pop()),
      ["product.upserted", "invoice.created", "invoice.paid"],
    );
  });
});

describe("disconnect and health", () => {
  it("renders the health tile from the ledger's answer, cached 30 s", async () => {
    await call(sim, "POST", "/admin/api/clock", { offset_seconds: 0 });
    ledger.fallback = (req) =>
      req.url === "/v1/tile/health"
        ? {
            status: 200,
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              tenant: { magento_connection_status: "active" },
              binding: { status: "active", region: "uk" },
              sync: { pending_count: 2, failed_24h: 0, last_run_at: "2026-04-30T11:00:00Z" },
            }),
          }
        : { status: 202, body: "{}" };
    const h = (await call(sim, "GET", "/admin/api/health")).json as {
      tile: { colour: string; headline: string; last_run_relative: string };
    };
    assert.deepEqual([h.tile.colour, h.tile.headline, h.tile.last_run_relative], ["amber", "Connected to Sage (UK)", "1 hours ago"]);
    verifyOutbound(ledger.requests[0]);
    assert.equal(ledger.requests[0].headers.accept, "application/json");
    await call(sim, "GET", "/admin/api/health");
    assert.equal(ledger.requests.length, 1, "served from the 30 s cache");
  });

  it("calls the ledger, clears credentials, keeps base_url; drain becomes a no-op", async () => {
    const r = (await call(sim, "POST", "/admin/api/disconnect")).json as { acknowledged: boolean };
    assert.equal(r.acknowledged, true);
    const rec = ledger.requests.at(-1)!;
    assert.equal(rec.url, "/v1/tenant/disconnect");
    assert.equal(rec.body, "{}");
    assert.equal(rec.headers["idempotency-key"], `disconnect:${createHash("sha1").update(TENANT).digest("hex")}`);
    verifyOutbound(rec);
    const state = (await call(sim, "GET", "/admin/api/state")).json as Record<string, unknown>;
    assert.deepEqual([state.client_connected, state.provider_connected, state.tenant_id, state.base_url], [false, false, null, ledger.url]);
    const before = ledger.requests.length;
    await newCustomer("after@example.com");
    assert.deepEqual(await drain(), []);
    assert.equal(ledger.requests.length, before);
  });
});

import "@/test/support/env";
import assert from "node:assert/strict";
import { hkdfSync, randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { magentoToken, rowCounts, seedStore, webhookBody, type SeededStore } from "../../test/support/builders/stores";

/**
 * Every way a webhook is refused (wire-protocol §3.2, §4.3, §5.4, D9): the status, the error code,
 * and that nothing was stored — no receipt, no run, not even the replay entry of the token.
 */

let h: IntakeHarness;
let store: SeededStore;
const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  h = await startIntakeHarness();
});
after(async () => {
  await h.stop();
  await db().$disconnect();
});
beforeEach(async () => {
  await truncateAll();
  store = await seedStore({ bindings: [{ status: "active" }] });
});

interface Case {
  name: string;
  status: number;
  error: string;
  /** Defaults: a valid Magento token for the store, invoice.created, a valid body. */
  token?: (s: SeededStore) => string | null;
  authorization?: (s: SeededStore) => string;
  connectionPath?: (s: SeededStore) => string;
  event?: string;
  body?: string;
  headers?: Record<string, string>;
  query?: string;
  prepare?: (s: SeededStore) => Promise<void>;
}

const inboundKey = (apiKey: string) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(apiKey), Buffer.alloc(0), Buffer.from("byte8-magento-inbound-v1"), 32));
const valid = (s: SeededStore) => mintOutboundForApiKey(s.apiKey, s.connectionId, now());
const claims = (c: Record<string, unknown>) => (s: SeededStore) => magentoToken(s.apiKey, s.connectionId, { claims: c });

const CASES: Case[] = [
  { name: "missing Authorization header", status: 401, error: "unauthenticated", token: () => null },
  {
    name: "Basic instead of Bearer",
    status: 401,
    error: "unauthenticated",
    authorization: (s) => `Basic ${Buffer.from(`${s.connectionId}:${s.apiKey}`).toString("base64")}`,
  },
  { name: "malformed token (two segments)", status: 401, error: "invalid_token", token: (s) => valid(s).split(".").slice(0, 2).join(".") },
  {
    name: "bad signature (payload tampered after signing)",
    status: 401,
    error: "invalid_token",
    token: (s) => {
      const [h0, , sig] = valid(s).split(".");
      const forged = Buffer.from(
        JSON.stringify({
          iss: "magento",
          sub: s.connectionId,
          aud: "byte8-ledger",
          iat: now(),
          nbf: now(),
          exp: now() + 60,
          jti: randomUUID(),
        }),
      ).toString("base64url");
      return `${h0}.${forged}.${sig}`;
    },
  },
  {
    name: "signed with another store's key",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken("byte8_lk_someone_elses_key_000000000000000000000", s.connectionId),
  },
  {
    name: "signed with the master key instead of the outbound subkey",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { key: Buffer.from(s.apiKey) }),
  },
  {
    name: "signed with the inbound subkey (wrong direction)",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { key: inboundKey(s.apiKey) }),
  },
  {
    name: "expired",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { nowSeconds: now() - 200 }),
  },
  {
    name: "not yet valid (iat/nbf two minutes ahead)",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { nowSeconds: now() + 120 }),
  },
  {
    name: "lifetime longer than 60 s",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { claims: { exp: now() + 3600 } }),
  },
  { name: "wrong iss", status: 401, error: "invalid_token", token: claims({ iss: "byte8-ledger" }) },
  { name: "wrong aud", status: 401, error: "invalid_token", token: claims({ aud: "magento" }) },
  { name: "aud as an array", status: 401, error: "invalid_token", token: claims({ aud: ["byte8-ledger"] }) },
  { name: "missing jti", status: 401, error: "invalid_token", token: claims({ jti: undefined }) },
  {
    name: "float iat",
    status: 401,
    error: "invalid_token",
    token: (s) => {
      const t = now();
      return magentoToken(s.apiKey, s.connectionId, {
        rawPayload: `{"iss":"magento","sub":"${s.connectionId}","aud":"byte8-ledger","iat":${t}.5,"nbf":${t},"exp":${t + 60},"jti":"${randomUUID()}"}`,
      });
    },
  },
  {
    name: "alg none, no signature",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { header: { alg: "none", typ: "JWT" }, signature: "" }),
  },
  {
    name: "alg HS512 header",
    status: 401,
    error: "invalid_token",
    token: (s) => magentoToken(s.apiKey, s.connectionId, { header: { alg: "HS512", typ: "JWT" } }),
  },
  { name: "sub is another (real) store than the path", status: 401, error: "invalid_token", connectionPath: () => OTHER.connectionId },
  {
    name: "unknown connection (sub = path = a random id)",
    status: 404,
    error: "unknown_tenant",
    token: (s) => magentoToken(s.apiKey, TENANT_X),
    connectionPath: () => TENANT_X,
  },
  {
    name: "connection path that is not a UUID",
    status: 404,
    error: "unknown_tenant",
    token: (s) => magentoToken(s.apiKey, "not-a-uuid"),
    connectionPath: () => "not-a-uuid",
  },
  {
    name: "revoked store",
    status: 401,
    error: "tenant_revoked",
    prepare: async (s) => {
      await db().magentoConnection.update({
        where: { id: s.connectionId },
        data: { status: "revoked", encryptedApiKey: null, revokedAt: new Date() },
      });
    },
  },
  {
    name: "store whose bindings are all revoked",
    status: 401,
    error: "tenant_revoked",
    prepare: async (s) => {
      await db().binding.updateMany({ where: { id: { in: s.bindingIds } }, data: { status: "revoked" } });
    },
  },
  { name: "unknown event (D9)", status: 422, error: "unknown_event", event: "order.created" },
  { name: "malformed JSON", status: 400, error: "bad_request", body: '{"magento_entity_id":42,' },
  { name: "body is a JSON array", status: 422, error: "invalid_body", body: "[42]" },
  { name: "magento_entity_id missing", status: 422, error: "invalid_body", body: '{"website_id":1,"payload":{}}' },
  { name: "magento_entity_id is a string", status: 422, error: "invalid_body", body: webhookBody(1, { magento_entity_id: "42" }) },
  { name: "magento_entity_id is zero", status: 422, error: "invalid_body", body: webhookBody(0) },
  { name: "negative store_id", status: 422, error: "invalid_body", body: webhookBody(42, { store_id: -1 }) },
  {
    name: "payload.paid is not a boolean",
    status: 422,
    error: "invalid_body",
    body: webhookBody(42, { payload: { increment_id: "42", paid: "yes" } }),
  },
  { name: "oversized body (300 KB)", status: 413, error: "payload_too_large", body: webhookBody(42, { padding: "x".repeat(300 * 1024) }) },
  { name: "unknown ?provider=", status: 400, error: "bad_request", query: "?provider=quickbooks" },
  {
    name: "Idempotency-Key longer than 255 characters",
    status: 400,
    error: "bad_request",
    headers: { "Idempotency-Key": "k".repeat(300) },
  },
];

const TENANT_X = randomUUID();
let OTHER: SeededStore;

describe("webhook intake rejections", () => {
  it("has at least 20 distinct cases", () => assert.ok(CASES.length >= 20));

  for (const c of CASES) {
    it(`${c.name} → ${c.status} ${c.error}, nothing stored`, async () => {
      OTHER = await seedStore();
      await c.prepare?.(store);
      const before = await rowCounts();
      const token = c.token ? c.token(store) : valid(store);
      const headers: Record<string, string> = { "Idempotency-Key": "invoice.created:42", ...c.headers };
      if (c.authorization) headers.Authorization = c.authorization(store);
      const path = `/webhooks/magento/${encodeURIComponent(c.connectionPath?.(store) ?? store.connectionId)}/${c.event ?? "invoice.created"}${c.query ?? ""}`;
      const res = await h.request("POST", path, { token: c.authorization ? null : token, body: c.body ?? webhookBody(42), headers });
      assert.equal(res.status, c.status, res.text);
      assert.equal(res.json.error, c.error, res.text);
      assert.equal(typeof res.json.message, "string");
      assert.equal(res.headers.get("cache-control"), "no-store, no-transform", "never cached, never compressed");
      assert.deepEqual(await rowCounts(), before);
      assert.equal(before.receipts + before.runs + before.jtis, 0);
    });
  }

  it("a replayed token → 401 token_replayed, the first delivery's rows unchanged", async () => {
    const token = valid(store);
    const first = await h.request("POST", `/webhooks/magento/${store.connectionId}/invoice.created`, {
      token,
      body: webhookBody(42),
      headers: { "Idempotency-Key": "invoice.created:42" },
    });
    assert.equal(first.status, 202, first.text);
    const afterFirst = await rowCounts();
    assert.deepEqual([afterFirst.receipts, afterFirst.runs, afterFirst.jtis], [1, 1, 1]);
    // Same token, other key and body: only the token gives it away.
    const replay = await h.request("POST", `/webhooks/magento/${store.connectionId}/invoice.created`, {
      token,
      body: webhookBody(43),
      headers: { "Idempotency-Key": "invoice.created:43" },
    });
    assert.equal(replay.status, 401, replay.text);
    assert.equal(replay.json.error, "token_replayed");
    assert.deepEqual(await rowCounts(), afterFirst);
  });

  it("the error body never echoes the token or the key", async () => {
    const token = magentoToken(store.apiKey, store.connectionId, { nowSeconds: now() - 500 });
    const res = await h.request("POST", `/webhooks/magento/${store.connectionId}/invoice.created`, { token, body: webhookBody(42) });
    assert.equal(res.status, 401);
    assert.ok(!res.text.includes(token.split(".")[2]));
    assert.ok(!res.text.includes(store.apiKey));
  });
});

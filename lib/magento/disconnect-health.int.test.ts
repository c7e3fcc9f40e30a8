import "@/test/support/env";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startMagentoSim, type MagentoSim } from "@/sim/magento/server";
import { call, pairSim } from "@/sim/magento/test-helpers";
import { truncateAll } from "@/test/support/db";
import { revokeMagentoConnection } from "./disconnect";
import { startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { addMember, seedStore, type SeededStore } from "../../test/support/builders/stores";

/** Disconnect from both sides, and the two read endpoints Magento calls (§4.4, §12.13). */

let h: IntakeHarness;
let sim: MagentoSim;
const now = () => Math.floor(Date.now() / 1000);
const token = (s: SeededStore) => mintOutboundForApiKey(s.apiKey, s.connectionId, now());

before(async () => {
  h = await startIntakeHarness();
  sim = await startMagentoSim({ databaseUrl: process.env.DATABASE_URL, port: 0, storeKey: "ledger-disconnect-int", drainSeconds: 0 });
});
after(async () => {
  await sim.stop();
  await h.stop();
  await db().$disconnect();
});
beforeEach(async () => {
  await truncateAll();
  await call(sim, "POST", "/admin/api/reset");
});

/** A seeded store that the simulator is paired with, plus one invoice waiting in its outbox. */
async function pairedStore(): Promise<SeededStore> {
  const s = await seedStore({ bindings: [{ status: "active", region: "uk" }], baseUrl: sim.url });
  await pairSim(sim, s.connectionId, s.apiKey, h.url);
  await call(sim, "POST", "/admin/api/products", { sku: "MB01", name: "Bag", type_id: "simple", price: 34 });
  const order = await call(sim, "POST", "/admin/api/orders", {
    guest: { email: "ann@example.com", firstname: "Ann", lastname: "Guest" },
    country: "GB",
    lines: [{ sku: "MB01", qty: 1 }],
    payment_method: "checkmo",
  });
  assert.equal(order.status, 200, order.text);
  return s;
}

async function assertRevoked(s: SeededStore, actorType: string) {
  const conn = await db().magentoConnection.findUniqueOrThrow({ where: { id: s.connectionId } });
  assert.deepEqual([conn.status, conn.encryptedApiKey, conn.revokedAt instanceof Date], ["revoked", null, true]);
  assert.deepEqual(
    (await db().binding.findMany({ where: { magentoConnectionId: s.connectionId } })).map((b) => b.status),
    ["revoked"],
  );
  const audit = await db().auditLog.findFirstOrThrow({ where: { action: "magento.disconnected" } });
  assert.equal(audit.actorType, actorType);
}

describe("disconnect", () => {
  it("from the dashboard: revoked, key deleted, and Magento's next webhook dead-letters on 401", async () => {
    const s = await pairedStore();
    const viewer = await addMember(s.tenantId, "viewer");
    await assert.rejects(revokeMagentoConnection(s.connectionId, viewer), (e) => isAppError(e) && e.code === "forbidden");
    const stranger = (await seedStore()).userId;
    await assert.rejects(revokeMagentoConnection(s.connectionId, stranger), (e) => isAppError(e) && e.code === "not_found");

    assert.deepEqual(await revokeMagentoConnection(s.connectionId, s.userId), { revoked: true });
    assert.deepEqual(await revokeMagentoConnection(s.connectionId, s.userId), { revoked: false });
    await assertRevoked(s, "user");

    const drained = (await call(sim, "POST", "/admin/api/drain")).json as {
      results: { outcome: string; status_code: number | null; error: string | null }[];
    };
    assert.ok(drained.results.length >= 1);
    for (const r of drained.results) {
      assert.equal(r.status_code, 401);
      assert.equal(r.outcome, "dead_lettered");
      assert.match(r.error ?? "", /tenant_revoked/);
    }
    assert.equal(await db().syncRun.count(), 0);
  });

  it("from Magento: POST /v1/tenant/disconnect revokes, and a repeat after the revoke still answers 200", async () => {
    const s = await pairedStore();
    const res = (await call(sim, "POST", "/admin/api/disconnect")).json as { acknowledged: boolean; called: boolean };
    assert.deepEqual(res, { acknowledged: true, called: true });
    await assertRevoked(s, "magento");
    const repeat = await h.request("POST", "/v1/tenant/disconnect", {
      token: token(s),
      body: "{}",
      headers: { "Idempotency-Key": "disconnect:x" },
    });
    assert.equal(repeat.status, 200, repeat.text);
    assert.deepEqual(repeat.json, { status: "revoked" });
  });

  it("from Magento: refused without a valid token, nothing changes", async () => {
    const s = await seedStore();
    const forged = await h.request("POST", "/v1/tenant/disconnect", {
      token: mintOutboundForApiKey("byte8_lk_wrong", s.connectionId, now()),
      body: "{}",
    });
    assert.equal(forged.status, 401);
    assert.equal(forged.json.error, "invalid_token");
    const none = await h.request("POST", "/v1/tenant/disconnect", { body: "{}" });
    assert.equal(none.status, 401);
    assert.equal((await db().magentoConnection.findUniqueOrThrow({ where: { id: s.connectionId } })).status, "active");
  });
});

describe("GET /v1/tile/health and /v1/status", () => {
  async function run(s: SeededStore, data: Record<string, unknown>) {
    const policy = { policyVersion: 1, policySnapshot: {} };
    return db().syncRun.create({
      data: {
        tenantId: s.tenantId,
        bindingId: s.bindingIds[0],
        event: "invoice.created",
        entityType: "invoice",
        magentoEntityId: 42,
        idempotencyKey: `k-${randomUUID()}`,
        ...policy,
        ...data,
      },
    });
  }

  it("has the exact §4.4 shape with counts from the binding's runs, plus Ledger's own reachability block", async () => {
    const s = await seedStore({ bindings: [{ status: "active", region: "uk" }] });
    const hourAgo = new Date(Date.now() - 3600_000);
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    await run(s, { status: "queued" });
    await run(s, { status: "running" });
    await run(s, { status: "waiting" });
    await run(s, { status: "failed", finishedAt: hourAgo });
    await run(s, { status: "failed", finishedAt: twoDaysAgo });
    const lastFinished = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await run(s, { status: "succeeded", finishedAt: lastFinished });
    const res = await h.request("GET", "/v1/tile/health", { token: token(s) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, {
      tenant: { magento_connection_status: "active" },
      binding: { status: "active", region: "uk" },
      sync: { pending_count: 3, failed_24h: 1, last_run_at: lastFinished.toISOString().replace(".000Z", "Z") },
      magento: { status: "unknown", last_reached_at: null, unreachable_since: null, last_error: null },
    });
  });

  it("reports token_revoked, and an empty binding status while Sage is not connected", async () => {
    const s = await seedStore({ bindings: [{ status: "pending_sage" }], connectionStatus: "token_revoked" });
    const res = await h.request("GET", "/v1/tile/health", { token: token(s) });
    assert.deepEqual(res.json, {
      tenant: { magento_connection_status: "token_revoked" },
      binding: { status: "", region: "" },
      sync: { pending_count: 0, failed_24h: 0, last_run_at: null },
      magento: { status: "unknown", last_reached_at: null, unreachable_since: null, last_error: null },
    });
  });

  it("turns the tile red when Sage needs reconnecting: binding.status is needs_reconnect", async () => {
    const s = await seedStore({ bindings: [{ status: "active", region: "uk" }] });
    await db().sageConnection.updateMany({ where: { bindings: { some: { id: s.bindingIds[0] } } }, data: { status: "needs_reconnect" } });
    const res = await h.request("GET", "/v1/tile/health", { token: token(s) });
    assert.deepEqual(res.json.binding, { status: "needs_reconnect", region: "uk" });
  });

  it("only answers the store that signed: unauthenticated and replayed calls are refused", async () => {
    const s = await seedStore();
    assert.equal((await h.request("GET", "/v1/tile/health")).status, 401);
    const t = token(s);
    assert.equal((await h.request("GET", "/v1/tile/health", { token: t })).status, 200);
    const replay = await h.request("GET", "/v1/tile/health", { token: t });
    assert.deepEqual([replay.status, replay.json.error], [401, "token_replayed"]);
  });

  it("/v1/status returns the latest run's mirror fields, 404 when unseen, 400 on a bad query", async () => {
    const s = await seedStore();
    const other = await seedStore();
    await run(s, { status: "failed", errorClass: "validation", createdAt: new Date(Date.now() - 60_000) });
    const latest = await run(s, {
      status: "succeeded",
      providerEntityId: "sage-inv-1",
      providerReference: "SI-27",
      finishedAt: new Date("2026-04-30T12:00:05Z"),
    });
    const res = await h.request("GET", "/v1/status?entity_type=invoice&entity_id=42", { token: token(s) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, {
      entity_type: "invoice",
      magento_entity_id: 42,
      provider: "sage_accounting",
      sync_status: "synced",
      provider_entity_id: "sage-inv-1",
      provider_reference: "SI-27",
      skip_reason: null,
      error_code: null,
      last_sync_at: "2026-04-30T12:00:05Z",
      sync_run_id: latest.id,
      run_status: "succeeded",
    });
    // Another store's token never sees these runs.
    const foreign = await h.request("GET", "/v1/status?entity_type=invoice&entity_id=42", { token: token(other) });
    assert.deepEqual([foreign.status, foreign.json.error], [404, "not_found"]);
    const bad = await h.request("GET", "/v1/status?entity_type=order&entity_id=x", { token: token(s) });
    assert.deepEqual([bad.status, bad.json.error], [400, "bad_request"]);
  });
});

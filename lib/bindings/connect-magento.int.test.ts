import "@/test/support/env";
import assert from "node:assert/strict";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { isAppError, SyncError } from "@/lib/errors";
import { selfSignedCert } from "@/test/support/net/self-signed";
import { startMagentoSim, type MagentoSim } from "@/sim/magento/server";
import { call, pairSim } from "@/sim/magento/test-helpers";
import { truncateAll } from "@/test/support/db";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { connectMagento } from "./connect-magento";
import { closedPort, startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { addMember, seedWorkspace } from "../../test/support/builders/stores";

/**
 * Connect Magento against the Magento simulator (real pairing route, real key handling, the module's
 * own health-tile call back into our routes) and every failure a merchant can meet, each with the
 * message they get and nothing left behind.
 */

let h: IntakeHarness;
let sim: MagentoSim;
let workspace: { tenantId: string; userId: string };

before(async () => {
  h = await startIntakeHarness();
  sim = await startMagentoSim({ databaseUrl: process.env.DATABASE_URL, port: 0, storeKey: "ledger-connect-int", drainSeconds: 0 });
});
after(async () => {
  await sim.stop();
  await h.stop();
  await db().$disconnect();
});
beforeEach(async () => {
  await truncateAll();
  await call(sim, "POST", "/admin/api/reset");
  workspace = await seedWorkspace();
});

async function pairingCode(): Promise<string> {
  return ((await call(sim, "POST", "/admin/api/pairing-code")).json as { code: string }).code;
}

const connect = (magentoBaseUrl: string, pairingCode: string, opts: Parameters<typeof connectMagento>[1] = {}) =>
  connectMagento({ ...workspace, magentoBaseUrl, pairingCode }, { ledgerBaseUrl: h.url, allowPrivate: true, ...opts });

const connections = () => db().magentoConnection.count();

describe("Connect Magento", () => {
  it("pairs with the simulator: active connection, encrypted key, binding waiting for Sage, audit", async () => {
    const result = await connect(`${sim.url}/`, await pairingCode());
    assert.ok(result.ok, JSON.stringify(result));
    const conn = await db().magentoConnection.findUniqueOrThrow({ where: { id: result.connectionId } });
    assert.equal(conn.status, "active");
    assert.equal(conn.baseUrl, sim.url);
    assert.ok(conn.pairedAt);
    const key = appVault().decrypt(conn.encryptedApiKey!, secretContext.magentoApiKey(conn.id));
    assert.match(key, /^byte8_lk_[A-Za-z0-9_-]{43}$/);
    assert.ok(!conn.encryptedApiKey!.includes(key));
    const binding = await db().binding.findUniqueOrThrow({ where: { id: result.bindingId }, include: { policies: true } });
    assert.deepEqual([binding.status, binding.provider, binding.magentoConnectionId], ["pending_sage", "sage_accounting", conn.id]);
    assert.deepEqual(
      binding.policies.map((p) => p.version),
      [1],
    );
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: conn.id } });
    assert.deepEqual([audit.action, audit.actorUserId], ["magento.paired", workspace.userId]);
    assert.ok(!JSON.stringify(audit.data).includes(key));

    const state = (await call(sim, "GET", "/admin/api/state")).json as Record<string, unknown>;
    assert.deepEqual([state.tenant_id, state.base_url, state.client_connected], [conn.id, h.url, true]);
    // The module's own tile call, signed with the key it was just given, answered by our route.
    const health = (await call(sim, "GET", "/admin/api/health")).json as { raw: Record<string, unknown>; tile: Record<string, unknown> };
    assert.deepEqual(health.raw, {
      tenant: { magento_connection_status: "active" },
      binding: { status: "", region: "" },
      sync: { pending_count: 0, failed_24h: 0, last_run_at: null },
      // Not pinged yet: the liveness cron runs every 2 minutes.
      magento: { status: "unknown", last_reached_at: null, unreachable_since: null, last_error: null },
    });
    assert.equal(health.tile.colour, "amber");
  });

  it("re-pairing the same install rotates the key on the same connection (one key per install)", async () => {
    const first = await connect(sim.url, await pairingCode());
    assert.ok(first.ok);
    const before = await db().magentoConnection.findUniqueOrThrow({ where: { id: first.connectionId } });
    const again = await connect(`  ${sim.url}// `, `  ${(await pairingCode()).toUpperCase()} `);
    assert.ok(again.ok, JSON.stringify(again));
    assert.deepEqual([again.connectionId, again.bindingId, again.repaired], [first.connectionId, first.bindingId, true]);
    const after = await db().magentoConnection.findUniqueOrThrow({ where: { id: first.connectionId } });
    assert.notEqual(after.encryptedApiKey, before.encryptedApiKey);
    assert.deepEqual([await connections(), await db().binding.count()], [1, 1]);
    assert.equal((await db().auditLog.findMany({ where: { action: "magento.repaired" } })).length, 1);
    // Magento holds the new key: its tile call verifies against the rotated key.
    const health = (await call(sim, "GET", "/admin/api/health")).json as { raw: Record<string, unknown> };
    assert.deepEqual(health.raw.tenant, { magento_connection_status: "active" });
  });

  it("a wrong code is refused with the message to generate a new one; the existing key is kept", async () => {
    const first = await connect(sim.url, await pairingCode());
    assert.ok(first.ok);
    const keyBefore = (await db().magentoConnection.findUniqueOrThrow({ where: { id: first.connectionId } })).encryptedApiKey;
    await pairingCode();
    const wrong = await connect(sim.url, "0".repeat(32));
    assert.equal(wrong.ok, false);
    if (wrong.ok) return;
    assert.equal(wrong.reason, "code_rejected");
    assert.match(wrong.message, /generate a new one in Magento: Stores → Configuration → Byte8/);
    assert.equal((await db().magentoConnection.findUniqueOrThrow({ where: { id: first.connectionId } })).encryptedApiKey, keyBefore);
  });

  it("a code that is not 32 hex characters never leaves Ledger", async () => {
    const result = await connect("not a url", "J3K7-XQ9F-RP2M");
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.reason, "invalid_input");
    assert.deepEqual(Object.keys(result.fields ?? {}).sort(), ["magentoBaseUrl", "pairingCode"]);
    assert.equal(await connections(), 0);
  });

  it("a viewer cannot pair a store", async () => {
    const viewer = await addMember(workspace.tenantId, "viewer");
    await assert.rejects(
      connectMagento(
        { tenantId: workspace.tenantId, userId: viewer, magentoBaseUrl: sim.url, pairingCode: await pairingCode() },
        { ledgerBaseUrl: h.url },
      ),
      (e) => isAppError(e) && e.code === "forbidden",
    );
    assert.equal(await connections(), 0);
  });

  it("a 401 from Magento on a signed call marks the connection token_revoked; the next success restores it", async () => {
    const paired = await connect(sim.url, await pairingCode());
    assert.ok(paired.ok);
    const client = await magentoClientForConnection(paired.connectionId);
    assert.ok(await client.ping());
    // The store is re-paired elsewhere with another key: our tokens stop verifying.
    await pairSim(sim, paired.connectionId, "byte8_lk_another_ledger_key_0000000000000000000000", h.url);
    await assert.rejects(client.ping(), (e) => e instanceof SyncError && e.status === 401 && e.syncClass === "auth");
    assert.equal((await db().magentoConnection.findUniqueOrThrow({ where: { id: paired.connectionId } })).status, "token_revoked");
    const conn = await db().magentoConnection.findUniqueOrThrow({ where: { id: paired.connectionId } });
    await pairSim(sim, paired.connectionId, appVault().decrypt(conn.encryptedApiKey!, secretContext.magentoApiKey(conn.id)), h.url);
    await client.ping();
    assert.equal((await db().magentoConnection.findUniqueOrThrow({ where: { id: paired.connectionId } })).status, "active");
  });
});

// ───────────────────────────── failures a merchant can meet ─────────────────────────────

type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

async function standIn(reply: Reply, tls?: { key: string; cert: string }): Promise<{ url: string; close(): Promise<void> }> {
  const handler: http.RequestListener = (req, res) => {
    req.resume();
    if (reply === "hang") return;
    res.writeHead(reply.status, reply.headers ?? { "content-type": "application/json" }).end(reply.body ?? "");
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CODE = "0123456789abcdef0123456789abcdef";
const FAILURES: {
  name: string;
  reply?: Reply;
  tls?: boolean;
  url?: () => Promise<string>;
  opts?: Parameters<typeof connectMagento>[1];
  reason: string;
  message: RegExp;
}[] = [
  {
    name: "400 from Magento",
    reply: { status: 400, body: '{"message":"ledger_base_url must be an absolute http(s) URL."}' },
    reason: "request_rejected",
    message: /problem on our side.*contact support/,
  },
  {
    name: "422 from Magento",
    reply: { status: 422, body: '{"message":"Pairing code already used."}' },
    reason: "code_already_used",
    message: /expired or was already used/,
  },
  {
    name: "404 (no Byte8 module)",
    reply: { status: 404, body: '{"message":"Request does not match any route."}' },
    reason: "not_found",
    message: /No Byte8 module answered.*index\.php/,
  },
  {
    name: "500 from Magento",
    reply: { status: 500, body: '{"message":"Internal Error."}' },
    reason: "magento_error",
    message: /internal error \(HTTP 500\).*try again/,
  },
  {
    name: "2xx that is not Magento's",
    reply: { status: 200, body: "<html>hello</html>", headers: { "content-type": "text/html" } },
    reason: "unexpected_response",
    message: /not like Magento/,
  },
  {
    name: "redirect to the same route elsewhere",
    reply: { status: 301, headers: { location: "https://shop.example.com/rest/V1/byte8/setup/pair" } },
    reason: "redirect",
    message: /redirects to https:\/\/shop\.example\.com\. Enter that address/,
  },
  { name: "timeout", reply: "hang", opts: { totalTimeoutMs: 300 }, reason: "timeout", message: /did not answer in time/ },
  {
    name: "unreachable (connection refused)",
    url: async () => `http://127.0.0.1:${await closedPort()}`,
    reason: "unreachable",
    message: /Could not connect to 127\.0\.0\.1/,
  },
  { name: "invalid TLS certificate", reply: { status: 200, body: "[]" }, tls: true, reason: "tls", message: /certificate.*not valid/ },
  {
    name: "private address outside development",
    reply: { status: 200, body: "[]" },
    opts: { allowPrivate: false },
    reason: "blocked_address",
    message: /private or internal network address/,
  },
];

describe("Connect Magento failures", () => {
  for (const f of FAILURES) {
    it(`${f.name} → ${f.reason}, a message the merchant can act on, nothing stored`, async (t) => {
      const cert = f.tls ? selfSignedCert() : null;
      if (f.tls && !cert) return t.skip("openssl is not installed");
      const server = f.reply ? await standIn(f.reply, cert ?? undefined) : null;
      try {
        const url = server?.url ?? (await f.url!());
        const result = await connect(url, CODE, f.opts);
        assert.equal(result.ok, false);
        if (result.ok) return;
        assert.equal(result.reason, f.reason);
        assert.match(result.message, f.message);
        assert.ok(!/Error:|at \w+ \(/.test(result.message), "no stack traces or raw errors");
        assert.equal(await connections(), 0);
        if (f.reason === "redirect") assert.equal(result.suggestedBaseUrl, "https://shop.example.com");
      } finally {
        await server?.close();
      }
    });
  }
});

import "@/test/support/env";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { getBindingDetail } from "@/lib/bindings/detail";
import { db } from "@/lib/db";
import { bindingHealthForTenant } from "@/lib/health/bindings";
import { tileData } from "@/sim/magento/module/health-tile";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startMagentoSim, type MagentoSim } from "@/sim/magento/server";
import { call, pairSim } from "@/sim/magento/test-helpers";
import { truncateAll } from "@/test/support/db";
import { pingConnectedStores, pingStore } from "./liveness";
import { startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { seedStore, type SeededStore } from "../../test/support/builders/stores";

/**
 * Magento liveness end to end: signed pings to the Magento simulator over real HTTP, the simulator's
 * admin API taking its REST API down, and the verdict read back three ways — the dashboard's health
 * cards, the binding page, and Magento's own tile (Ledger's /v1/tile/health over HTTP, coloured by the
 * simulator's copy of the module's tile rules).
 */

let h: IntakeHarness;
let sim: MagentoSim;
const nowSeconds = () => Math.floor(Date.now() / 1000);

before(async () => {
  h = await startIntakeHarness();
  sim = await startMagentoSim({ databaseUrl: process.env.DATABASE_URL, port: 0, storeKey: "ledger-liveness-int", drainSeconds: 0 });
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

async function pairedStore(): Promise<SeededStore> {
  const s = await seedStore({ bindings: [{ status: "active", region: "uk" }], baseUrl: sim.url });
  await pairSim(sim, s.connectionId, s.apiKey, h.url);
  return s;
}

const outage = (body: unknown) => call(sim, "POST", "/admin/api/outage", body);
const connection = (s: SeededStore) => db().magentoConnection.findUniqueOrThrow({ where: { id: s.connectionId } });
const card = async (s: SeededStore, now?: Date) => (await bindingHealthForTenant(s.tenantId, now ? { now } : {}))[0];

/** What Magento's dashboard tile shows: Ledger's tile JSON over HTTP, coloured by the module's rules. */
async function magentoTile(s: SeededStore) {
  const r = await h.request("GET", "/v1/tile/health", { token: mintOutboundForApiKey(s.apiKey, s.connectionId, nowSeconds()) });
  assert.equal(r.status, 200, r.text);
  return { json: r.json as Record<string, Record<string, unknown>>, tile: tileData(true, r.json, nowSeconds()) };
}

describe("Magento liveness", () => {
  it("a store that answers: signed ping, Last reached recorded, green in Ledger and in Magento's tile", async () => {
    const s = await pairedStore();
    const before = new Date();
    assert.deepEqual(await pingConnectedStores(), { pinged: 1, reachable: 1, failing: 0, becameUnreachable: 0 });

    const log = (await call(sim, "GET", "/admin/api/auth-log")).json as { path: string; result: string }[];
    assert.deepEqual(
      log.at(-1),
      { ...log.at(-1), path: "/rest/V1/byte8/ping", result: "byte8" },
      "the simulator verified our signed token",
    );
    const conn = await connection(s);
    assert.ok(conn.lastReachedAt && conn.lastReachedAt >= before);
    assert.equal(conn.unreachableSince, null);
    const detail = await getBindingDetail(s.tenantId, s.bindingIds[0]);
    assert.equal(detail?.magento.lastReachedAt, conn.lastReachedAt.toISOString());

    assert.equal((await card(s)).verdict.tone, "green");
    const { json, tile } = await magentoTile(s);
    assert.equal(json.magento.status, "reachable");
    assert.equal(tile.colour, "green");
  });

  it("one failed ping is amber with Magento's error; an answer makes it green again", async () => {
    const s = await pairedStore();
    await pingConnectedStores();
    const reached = (await connection(s)).lastReachedAt;

    await outage({ mode: "maintenance" });
    const [failed] = [await pingStore(s.connectionId)];
    assert.equal(failed.ok, false);
    assert.equal(failed.error, "Magento answered GET /rest/V1/byte8/ping with HTTP 503");
    const conn = await connection(s);
    assert.deepEqual(conn.lastReachedAt, reached, "the last success is kept");
    assert.ok(conn.unreachableSince && conn.lastPingErrorAt);
    assert.equal(conn.lastPingError, failed.error);

    const amber = await card(s);
    assert.deepEqual([amber.verdict.tone, amber.verdict.action], ["amber", "check_magento"]);
    assert.equal(amber.verdict.reason, "Magento did not answer Ledger's last ping: Magento answered GET /rest/V1/byte8/ping with HTTP 503");
    const { json, tile } = await magentoTile(s);
    assert.deepEqual(json.magento, {
      status: "failing",
      last_reached_at: json.magento.last_reached_at,
      unreachable_since: json.magento.unreachable_since,
      last_error: failed.error,
    });
    assert.equal(tile.colour, "amber");

    await outage({ mode: "none" });
    assert.equal((await pingStore(s.connectionId)).ok, true);
    const back = await connection(s);
    assert.equal(back.unreachableSince, null);
    assert.ok(back.lastReachedAt && reached && back.lastReachedAt > reached);
    assert.equal(back.lastPingError, failed.error, "the last error stays on record");
    assert.equal((await card(s)).verdict.tone, "green");
  });

  it("red after 10 minutes of failures, with Magento's own message; the alert hook fires once per outage", async () => {
    const s = await pairedStore();
    await outage({ mode: "error", message: "SQLSTATE[HY000] [2002] Connection refused" });
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);

    const first = await pingStore(s.connectionId, { now: () => elevenMinutesAgo });
    assert.deepEqual(first, { connectionId: s.connectionId, ok: false, error: "SQLSTATE[HY000] [2002] Connection refused" });
    assert.equal((await card(s, new Date(elevenMinutesAgo.getTime() + 9 * 60_000))).verdict.tone, "amber", "still amber at 9 minutes");

    const second = await pingStore(s.connectionId);
    assert.equal(second.becameUnreachable, true, "crossing 10 minutes raises the alert");
    assert.deepEqual((await connection(s)).unreachableSince, elevenMinutesAgo, "since when: the first failure");
    const red = await card(s);
    assert.deepEqual([red.verdict.tone, red.verdict.action], ["red", "check_magento"]);
    assert.equal(red.verdict.reason, "Magento has not answered Ledger for over 10 minutes: SQLSTATE[HY000] [2002] Connection refused");

    // Magento's own dashboard, the whole way: the simulator fetches Ledger's tile and colours it.
    const health = (await call(sim, "GET", "/admin/api/health")).json as {
      raw: Record<string, Record<string, unknown>>;
      tile: { colour: string; headline: string };
    };
    assert.equal(health.raw.binding.status, "magento_unreachable");
    assert.deepEqual([health.tile.colour, health.tile.headline], ["red", "Binding magento_unreachable"]);

    const third = await pingConnectedStores();
    assert.deepEqual(third, { pinged: 1, reachable: 0, failing: 1, becameUnreachable: 0 }, "no second alert for the same outage");
  });

  it("a store that is down: the connection error is recorded; disconnected stores are not pinged", async () => {
    const s = await pairedStore();
    const gone = await seedStore({ baseUrl: "http://127.0.0.1:9/gone" });
    await db().magentoConnection.update({ where: { id: gone.connectionId }, data: { status: "revoked", encryptedApiKey: null } });
    await outage({ mode: "down" });
    const summary = await pingConnectedStores();
    assert.deepEqual(summary, { pinged: 1, reachable: 0, failing: 1, becameUnreachable: 0 });
    assert.match((await connection(s)).lastPingError ?? "", /^Could not reach Magento for GET \/rest\/V1\/byte8\/ping \(\w+\)$/);
    const revoked = await db().magentoConnection.findUniqueOrThrow({ where: { id: gone.connectionId } });
    assert.deepEqual([revoked.lastReachedAt, revoked.lastPingErrorAt], [null, null]);
  });
});

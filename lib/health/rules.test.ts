import assert from "node:assert/strict";
import { test } from "node:test";
import type { TileHealth } from "@/lib/magento/health";
import {
  magentoReach,
  MAGENTO_UNREACHABLE_AFTER_MS,
  reachStatus,
  tileStatusesFor,
  TILE_MAGENTO_UNREACHABLE,
  type MagentoReach,
} from "../magento/reach";
import { healthVerdict, SAGE_NEEDS_RECONNECT } from "./rules";

const REACHABLE: MagentoReach = { status: "reachable", last_reached_at: "2026-03-15T11:58:00Z", unreachable_since: null, last_error: null };

const tile = (
  over: { conn?: string; status?: string; region?: string; pending?: number; failed?: number; magento?: MagentoReach } = {},
): TileHealth => ({
  tenant: { magento_connection_status: over.conn ?? "active" },
  binding: { status: over.status ?? "active", region: over.region ?? "uk" },
  sync: { pending_count: over.pending ?? 0, failed_24h: over.failed ?? 0, last_run_at: null },
  magento: over.magento ?? REACHABLE,
});

test("grey: not connected locally, or health unknown (wire-protocol §4.4)", () => {
  assert.deepEqual(
    [healthVerdict({ connected: false, health: tile() }).tone, healthVerdict({ connected: false, health: tile() }).words],
    ["grey", "Disconnected"],
  );
  assert.equal(healthVerdict({ connected: true, health: null }).tone, "grey");
});

test("red: token_revoked wins over everything below it", () => {
  const v = healthVerdict({ connected: true, health: tile({ conn: "token_revoked", status: "", pending: 3 }) });
  assert.equal(v.tone, "red");
  assert.equal(v.words, "Needs attention");
  assert.equal(v.action, "repair_magento");
});

test("amber 'Finish setup': Magento pending or an empty binding status, even with failures", () => {
  for (const h of [tile({ conn: "pending", failed: 2 }), tile({ status: "", failed: 2 })]) {
    const v = healthVerdict({ connected: true, health: h });
    assert.equal(v.tone, "amber");
    assert.equal(v.action, "finish_setup");
  }
});

test("red: a binding status other than active, and Sage custody's needs_reconnect", () => {
  assert.equal(healthVerdict({ connected: true, health: tile({ status: "revoked" }) }).tone, "red");
  const v = healthVerdict({ connected: true, health: tile({ status: SAGE_NEEDS_RECONNECT }) });
  assert.deepEqual([v.tone, v.action], ["red", "reconnect_sage"]);
});

test("red: any failure in 24 h beats pending", () => {
  const v = healthVerdict({ connected: true, health: tile({ failed: 1, pending: 4 }) });
  assert.equal(v.tone, "red");
  assert.equal(v.reason, "1 failure in the last 24 hours.");
});

test("amber: pending work", () => {
  const v = healthVerdict({ connected: true, health: tile({ pending: 2 }) });
  assert.deepEqual([v.tone, v.words, v.reason], ["amber", "Needs attention", "2 documents waiting to sync."]);
});

test("green: everything else, with the region upper-cased", () => {
  const v = healthVerdict({ connected: true, health: tile({ region: "uk" }) });
  assert.deepEqual([v.tone, v.words, v.reason], ["green", "Connected", "Connected to Sage (UK)."]);
});

const NOW = new Date("2026-03-15T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

test("reach: reachable after an answer, unknown before the first ping, failing from one failure, unreachable at 10 minutes", () => {
  assert.equal(reachStatus({ lastReachedAt: minutesAgo(2), lastPingError: null, unreachableSince: null }, NOW), "reachable");
  assert.equal(reachStatus({ lastReachedAt: null, lastPingError: null, unreachableSince: null }, NOW), "unknown");
  assert.equal(reachStatus({ lastReachedAt: minutesAgo(12), lastPingError: "x", unreachableSince: minutesAgo(9.99) }, NOW), "failing");
  assert.equal(
    reachStatus(
      { lastReachedAt: minutesAgo(12), lastPingError: "x", unreachableSince: new Date(NOW.getTime() - MAGENTO_UNREACHABLE_AFTER_MS) },
      NOW,
    ),
    "unreachable",
  );
  assert.deepEqual(
    magentoReach({ lastReachedAt: minutesAgo(30), lastPingError: "Service Unavailable", unreachableSince: minutesAgo(20) }, NOW),
    {
      status: "unreachable",
      last_reached_at: "2026-03-15T11:30:00Z",
      unreachable_since: "2026-03-15T11:40:00Z",
      last_error: "Service Unavailable",
    },
  );
});

test("Magento's tile: failing reports a pending connection (amber), unreachable a non-active binding (red); a revoked key keeps its own", () => {
  const base = { magento_connection_status: "active", binding_status: "active" };
  assert.deepEqual(tileStatusesFor("reachable", base), base);
  assert.deepEqual(tileStatusesFor("unknown", base), base);
  assert.deepEqual(tileStatusesFor("failing", base), { magento_connection_status: "pending", binding_status: "active" });
  assert.deepEqual(tileStatusesFor("unreachable", base), { magento_connection_status: "active", binding_status: TILE_MAGENTO_UNREACHABLE });
  const revoked = { magento_connection_status: "token_revoked", binding_status: "active" };
  assert.deepEqual(tileStatusesFor("unreachable", revoked), revoked);
});

test("amber after one failed ping, with Magento's own error; not mistaken for 'Finish setup'", () => {
  const failing: MagentoReach = {
    status: "failing",
    last_reached_at: "2026-03-15T11:50:00Z",
    unreachable_since: "2026-03-15T11:58:00Z",
    last_error: "Internal Error. Details are available in Magento log file. Report ID: webapi-1",
  };
  const v = healthVerdict({ connected: true, health: tile({ conn: "pending", magento: failing }) });
  assert.deepEqual([v.tone, v.action], ["amber", "check_magento"]);
  assert.equal(
    v.reason,
    "Magento did not answer Ledger's last ping: Internal Error. Details are available in Magento log file. Report ID: webapi-1",
  );
  // Worst wins: failures in 24 h are red even while Magento is failing.
  assert.equal(healthVerdict({ connected: true, health: tile({ conn: "pending", failed: 1, magento: failing }) }).tone, "red");
});

test("red after 10 minutes unreachable, ahead of everything but a revoked key", () => {
  const gone: MagentoReach = {
    status: "unreachable",
    last_reached_at: null,
    unreachable_since: "2026-03-15T11:40:00Z",
    last_error: "Magento could not be reached (ECONNREFUSED)",
  };
  const v = healthVerdict({ connected: true, health: tile({ status: TILE_MAGENTO_UNREACHABLE, pending: 2, magento: gone }) });
  assert.deepEqual([v.tone, v.action], ["red", "check_magento"]);
  assert.equal(v.reason, "Magento has not answered Ledger for over 10 minutes: Magento could not be reached (ECONNREFUSED)");
  assert.equal(healthVerdict({ connected: true, health: tile({ conn: "token_revoked", magento: gone }) }).action, "repair_magento");
});

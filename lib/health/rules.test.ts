import assert from "node:assert/strict";
import { test } from "node:test";
import type { TileHealth } from "@/lib/magento/health";
import { healthVerdict, SAGE_NEEDS_RECONNECT } from "./rules";

const tile = (over: { conn?: string; status?: string; region?: string; pending?: number; failed?: number } = {}): TileHealth => ({
  tenant: { magento_connection_status: over.conn ?? "active" },
  binding: { status: over.status ?? "active", region: over.region ?? "uk" },
  sync: { pending_count: over.pending ?? 0, failed_24h: over.failed ?? 0, last_run_at: null },
});

test("grey: not connected locally, or health unknown (wire-protocol §4.4)", () => {
  assert.deepEqual([healthVerdict({ connected: false, health: tile() }).tone, healthVerdict({ connected: false, health: tile() }).words], ["grey", "Disconnected"]);
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

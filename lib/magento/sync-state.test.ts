import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMagentoTimestamp, syncStateBody, syncStatePushSchema } from "./sync-state";

const now = new Date("2026-04-30T12:00:00.987Z");

describe("sync-state push body (§9.1)", () => {
  it("formats last_sync_at as whole-second UTC 'YYYY-MM-DD HH:MM:SS'", () => {
    assert.equal(formatMagentoTimestamp(now), "2026-04-30 12:00:00");
    assert.equal(formatMagentoTimestamp(new Date("2026-01-02T03:04:05.999+02:00")), "2026-01-02 01:04:05");
  });

  it("builds the body in interface order, omitting unset optionals, defaulting last_sync_at to now", () => {
    const push = syncStatePushSchema.parse({
      entity_type: "invoice",
      magento_entity_id: 42,
      provider: "sage_accounting",
      sync_status: "synced",
      provider_entity_id: "abc123",
      provider_reference: "SI-27",
      skip_reason: null,
    });
    assert.equal(
      JSON.stringify(syncStateBody(push, now)),
      '{"entity_type":"invoice","magento_entity_id":42,"provider":"sage_accounting","sync_status":"synced","provider_entity_id":"abc123","provider_reference":"SI-27","last_sync_at":"2026-04-30 12:00:00"}',
    );
    const failed = syncStatePushSchema.parse({
      entity_type: "creditmemo",
      magento_entity_id: 9,
      provider: "sage_accounting",
      sync_status: "failed",
      error_code: "rate_limited",
      last_sync_at: new Date("2026-05-01T09:00:00Z"),
    });
    assert.deepEqual(syncStateBody(failed, now), {
      entity_type: "creditmemo",
      magento_entity_id: 9,
      provider: "sage_accounting",
      sync_status: "failed",
      error_code: "rate_limited",
      last_sync_at: "2026-05-01 09:00:00",
    });
  });

  it("never sends pending, unknown entity types, ids ≤ 0 or strings over the column widths", () => {
    const base = { entity_type: "invoice", magento_entity_id: 1, provider: "sage_accounting", sync_status: "synced" };
    assert.equal(syncStatePushSchema.safeParse({ ...base, sync_status: "pending" }).success, false);
    assert.equal(syncStatePushSchema.safeParse({ ...base, entity_type: "order" }).success, false);
    assert.equal(syncStatePushSchema.safeParse({ ...base, magento_entity_id: 0 }).success, false);
    assert.equal(syncStatePushSchema.safeParse({ ...base, provider_reference: "x".repeat(65) }).success, false);
    assert.equal(syncStatePushSchema.safeParse({ ...base, provider_reference: "x".repeat(64) }).success, true);
    assert.equal(syncStatePushSchema.safeParse({ ...base, provider: "p".repeat(33) }).success, false);
    assert.equal(syncStatePushSchema.safeParse({ ...base, provider: "" }).success, false);
  });
});

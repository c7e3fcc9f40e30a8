import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeCursor, encodeCursor } from "./cursor";
import { DEFAULT_FILTER, filterToSearchParams, isFiltered, parseHistoryFilter, timeWindow } from "./filter";

test("a filter round-trips through URL search params", () => {
  const url = new URLSearchParams({
    status: "skipped_by_policy,failed",
    code: "outside_sync_since",
    warning: "total_mismatch",
    event: "invoice.created",
    entity: "42",
    type: "invoice",
    provider: "sage_accounting",
    binding: "0b7d7f3e-1c2a-4d5e-8f90-123456789abc",
    range: "custom",
    from: "2026-05-01T00:00:00.000Z",
    to: "2026-05-02T00:00:00.000Z",
    sort: "duration",
    dir: "asc",
  });
  const f = parseHistoryFilter(url);
  assert.deepEqual(f.status, ["skipped_by_policy", "failed"]);
  assert.equal(f.entity, 42);
  assert.deepEqual(f.from, new Date("2026-05-01T00:00:00.000Z"));
  assert.deepEqual(parseHistoryFilter(filterToSearchParams(f)), f);
  assert.equal(filterToSearchParams(f).get("status"), "skipped_by_policy,failed");
  assert.equal(f.warning, "total_mismatch");
  assert.equal(filterToSearchParams(parseHistoryFilter({ warning: "any" })).toString(), "warning=any", "“with warnings” is kept in the URL");
});

test("defaults are omitted and junk falls back to no filter", () => {
  assert.equal(filterToSearchParams(DEFAULT_FILTER).toString(), "");
  assert.equal(isFiltered(DEFAULT_FILTER), false);
  const f = parseHistoryFilter({ status: ["bogus", "failed", "failed"], code: "DROP TABLE", warning: "everything", entity: "-3", range: "forever", sort: "x", event: "order.placed" });
  assert.deepEqual(f, { ...DEFAULT_FILTER, status: ["failed"] });
  assert.equal(isFiltered(f), true);
  // status given as repeated params is the same filter as a comma list
  assert.deepEqual(parseHistoryFilter(new URLSearchParams("status=failed&status=queued")).status, ["queued", "failed"]);
  // custom without bounds is the default week; bounds without custom are ignored
  assert.equal(parseHistoryFilter({ range: "custom" }).range, "7d");
  assert.equal(parseHistoryFilter({ from: "2026-05-01T00:00:00Z" }).from, undefined);
});

test("time presets are relative to now", () => {
  const now = new Date("2026-06-01T12:00:00Z");
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "1h" }), now), { from: new Date("2026-06-01T11:00:00Z") });
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "7d" }), now), { from: new Date("2026-05-25T12:00:00Z") });
  assert.deepEqual(timeWindow(DEFAULT_FILTER, now), { from: new Date("2026-05-25T12:00:00Z") });
  assert.deepEqual(timeWindow(parseHistoryFilter({ range: "all" }), now), {});
  assert.equal(filterToSearchParams(parseHistoryFilter({ range: "all" })).toString(), "range=all");
});

test("cursors round-trip and reject tampering", () => {
  const c = { v: 3, t: "2026-06-01T12:00:00.000Z", id: "0b7d7f3e-1c2a-4d5e-8f90-123456789abc" };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  assert.equal(decodeCursor("not-base64-json"), null);
  assert.equal(decodeCursor(Buffer.from(JSON.stringify({ ...c, id: "x" })).toString("base64url")), null);
});

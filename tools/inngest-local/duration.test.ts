import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDuration, resolveDeadline } from "./duration.ts";

test("parses the SDK's compound time strings and ms-style strings", () => {
  assert.equal(parseDuration("2s"), 2_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("1w2d3h4m5s"), 604_800_000 + 2 * 86_400_000 + 3 * 3_600_000 + 4 * 60_000 + 5_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("1.5h"), 5_400_000);
  assert.equal(parseDuration("2 minutes"), 120_000);
});

test("rejects what is not a duration", () => {
  for (const bad of ["", "5", "2x", "s", "-1s", "0s", "1h 30"]) assert.equal(parseDuration(bad), null, bad);
});

test("resolves sleeps given as a duration or an ISO date (sleepUntil)", () => {
  assert.equal(resolveDeadline("3s", 1_000), 4_000);
  assert.equal(resolveDeadline("2030-01-02T03:04:05.000Z", 0), Date.parse("2030-01-02T03:04:05.000Z"));
  assert.equal(resolveDeadline("soon", 0), null);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { attemptsText, formatDuration } from "./format";

test("tries say how many and whether Sage rate-limited them (issue 17)", () => {
  assert.equal(attemptsText({ attemptCount: 1, errorClass: null }), "1 try");
  assert.equal(attemptsText({ attemptCount: 2, errorClass: "rate_limited" }), "2 tries · rate limited");
  assert.equal(attemptsText({ attemptCount: 3, errorClass: "provider" }), "3 tries");
  assert.equal(attemptsText({ attemptCount: 0, errorClass: null }), "0 tries");
});

test("durations read as people say them", () => {
  assert.equal(formatDuration(null), "—");
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(2400), "2.4 s");
});

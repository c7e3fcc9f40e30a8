import assert from "node:assert/strict";
import { test } from "node:test";
import { gcra, type GcraParams } from "./throttle.ts";

/** Simulates a backlog that starts every run as soon as GCRA admits it; returns the start times. */
function simulate(p: GcraParams, runs: number): number[] {
  const starts: number[] = [];
  let tat: number | null = null;
  let now = 0;
  while (starts.length < runs) {
    const d = gcra(tat, now, p);
    if (d.allowed) {
      tat = d.newTat;
      starts.push(now);
    } else {
      assert.ok(d.retryAt > now);
      now = d.retryAt;
    }
  }
  return starts;
}

function maxInWindow(starts: number[], period: number): number {
  return Math.max(...starts.map((s) => starts.filter((t) => t >= s && t < s + period).length));
}

test("without burst, no window of one period holds more than limit starts", () => {
  for (const [limit, periodMs] of [
    [1, 1000],
    [2, 2000],
    [5, 60_000],
    [3, 1000],
  ]) {
    const starts = simulate({ limit, periodMs, burst: 0 }, 40);
    assert.equal(maxInWindow(starts, periodMs), limit);
  }
});

test("burst lets burst+1 start at once and caps any window at limit + burst", () => {
  const starts = simulate({ limit: 2, periodMs: 2000, burst: 2 }, 30);
  assert.deepEqual(starts.slice(0, 3), [0, 0, 0]);
  assert.ok(maxInWindow(starts, 2000) <= 4);
});

test("a quiet key starts immediately and the steady rate is limit per period", () => {
  assert.deepEqual(gcra(null, 5_000, { limit: 2, periodMs: 2000, burst: 0 }), { allowed: true, newTat: 6_000 });
  const starts = simulate({ limit: 4, periodMs: 1000, burst: 0 }, 9);
  assert.equal(starts[8], 2000);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { repeatDecision, type LatestRun } from "./decision";

/** The repeat rule (wire-protocol §12.1, decisions D12) as a table: event, latest run, body, age → decision. */

const now = new Date("2026-12-05T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const HOUR = 3600_000;
const run = (status: string, sha: string, receiptAgeMs = 0, updatedAgeMs = 0): LatestRun => ({
  status,
  updatedAt: ago(updatedAgeMs),
  receipt: { bodySha256: sha, createdAt: ago(receiptAgeMs) },
});

const cases: Array<[string, string, LatestRun | undefined, string, ReturnType<typeof repeatDecision>]> = [
  ["first delivery", "invoice.created", undefined, "a", "new_run"],
  ["invoice: live run, same body", "invoice.created", run("queued", "a"), "a", "duplicate"],
  ["invoice: running, changed body", "invoice.created", run("running", "a"), "b", "duplicate"],
  ["invoice: succeeded, changed body within a day", "invoice.created", run("succeeded", "a", 2 * HOUR), "b", "duplicate"],
  ["invoice: succeeded, changed body after a day", "invoice.created", run("succeeded", "a", 25 * HOUR), "b", "new_run"],
  ["invoice: succeeded, same body after a day", "invoice.created", run("succeeded", "a", 25 * HOUR), "a", "duplicate"],
  ["invoice: failed → resync", "invoice.paid", run("failed", "a"), "a", "new_run"],
  ["invoice: skipped → resync", "creditmemo.created", run("skipped_by_policy", "a"), "a", "new_run"],
  ["upsert: queued, changed body joins the run", "customer.upserted", run("queued", "a"), "b", "duplicate"],
  ["upsert: waiting, changed body joins the run", "product.upserted", run("waiting", "a"), "b", "duplicate"],
  ["upsert: running, same body", "customer.upserted", run("running", "a"), "a", "duplicate"],
  ["upsert: running, changed body → busy (D12)", "customer.upserted", run("running", "a", 0, 10 * 60_000), "b", "busy"],
  ["upsert: running but stale for over an hour", "product.upserted", run("running", "a", 0, 2 * HOUR), "b", "new_run"],
  ["upsert: succeeded, changed body at once", "product.upserted", run("succeeded", "a", 60_000), "b", "new_run"],
  ["upsert: succeeded, same body", "customer.upserted", run("succeeded", "a", 60_000), "a", "duplicate"],
  ["upsert: failed → resync", "customer.upserted", run("failed", "a"), "a", "new_run"],
];

for (const [name, event, last, sha, expected] of cases) {
  test(name, () => assert.equal(repeatDecision(event, last, sha, now), expected));
}

test("a succeeded run without a receipt counts as old", () => {
  assert.equal(repeatDecision("invoice.created", { status: "succeeded", updatedAt: now, receipt: null }, "a", now), "new_run");
});

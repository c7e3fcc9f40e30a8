import assert from "node:assert/strict";
import { test } from "node:test";
import { backgroundProgress, startBackgroundPlay } from "./runner.ts";

// The admin page rendered right after "Play a day" must already see a running play (it then shows the
// read-out and reloads itself); a play that cannot reach the store ends as "failed" with the reason.
test("a background play reads as running from the moment it starts, then failed when the store is unreachable", async () => {
  const { started } = startBackgroundPlay({ magentoUrl: "http://127.0.0.1:9", fast: true });
  assert.equal(started, true);
  assert.equal(backgroundProgress()?.phase, "running");
  assert.equal(startBackgroundPlay({ magentoUrl: "http://127.0.0.1:9", fast: true }).started, false);
  for (let i = 0; i < 200 && backgroundProgress()?.phase === "running"; i++) await new Promise((r) => setTimeout(r, 25));
  const p = backgroundProgress();
  assert.equal(p?.phase, "failed");
  assert.ok(p?.error, "the reason is kept for the card");
});

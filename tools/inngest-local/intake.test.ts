import assert from "node:assert/strict";
import { test } from "node:test";
import { evalCondition, evalKey } from "./cel.ts";
import type { FunctionConfig } from "./config.ts";
import { normaliseEvents, seededEventId, triggerMatches } from "./intake.ts";

const fn = (triggers: FunctionConfig["triggers"]) => ({
  id: "app-fn",
  url: "http://x",
  config: {
    id: "app-fn",
    triggers,
    steps: { step: { id: "step" as const, name: "step", runtime: { type: "http" as const, url: "http://x" } } },
  },
});
const ev = (name: string, data: Record<string, unknown> = {}) => ({ id: "e1", name, data, ts: 1 });

test("triggers match exact names, prefix wildcards and CEL expressions", () => {
  assert.equal(triggerMatches(fn([{ event: "shop/order.created" }]), ev("shop/order.created")), true);
  assert.equal(triggerMatches(fn([{ event: "shop/order.created" }]), ev("shop/order.updated")), false);
  assert.equal(triggerMatches(fn([{ event: "shop/*" }]), ev("shop/order.updated")), true);
  assert.equal(triggerMatches(fn([{ event: "shop/*" }]), ev("shopping/x")), false);
  assert.equal(triggerMatches(fn([{ event: "a", expression: "event.data.n > 2" }]), ev("a", { n: 3 })), true);
  assert.equal(triggerMatches(fn([{ event: "a", expression: "event.data.n > 2" }]), ev("a", { n: 1 })), false);
  assert.equal(triggerMatches(fn([{ event: "a", expression: "event.data.missing == 1" }]), ev("a")), false);
  assert.equal(triggerMatches(fn([{ cron: "* * * * *" }]), ev("inngest/scheduled.timer")), false);
});

test("the onFailure handler's expression selects its own function only", () => {
  const handler = fn([{ event: "inngest/function.failed", expression: "event.data.function_id == 'app-fn'" }]);
  assert.equal(triggerMatches(handler, ev("inngest/function.failed", { function_id: "app-fn" })), true);
  assert.equal(triggerMatches(handler, ev("inngest/function.failed", { function_id: "app-other" })), false);
});

test("CEL keys and match conditions", () => {
  assert.equal(evalKey("event.data.conn", { event: { data: { conn: "sage-1" } } }), "sage-1");
  assert.equal(evalKey("event.data.n", { event: { data: { n: 7 } } }), "7");
  assert.equal(evalKey("event.data.nope", { event: { data: {} } }), null);
  assert.equal(evalCondition("event.data.id == async.data.id", { event: { data: { id: 1 } }, async: { data: { id: 1 } } }), true);
  assert.equal(evalCondition("event.data.id == async.data.id", { event: { data: { id: 1 } }, async: { data: {} } }), false);
});

test("event ids derived from the SDK's seed are stable per index and ULID-shaped", () => {
  const seed = "1700000000000,AAECAwQFBgcICQ==";
  const first = seededEventId(seed, 0);
  assert.equal(first, seededEventId(seed, 0));
  assert.notEqual(first, seededEventId(seed, 1));
  assert.match(first ?? "", /^[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.equal(seededEventId("garbage", 0), null);
  const [a, b] = normaliseEvents([{ name: "x" }, { name: "y", id: "mine", data: { k: 1 } }], seed);
  assert.equal(a.id, first);
  assert.deepEqual(a.data, {});
  assert.equal(b.id, "mine");
});

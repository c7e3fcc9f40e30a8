import assert from "node:assert/strict";
import { test } from "node:test";
import { concurrencyOptions, maxAttempts, validateFunctionConfig } from "./config.ts";

const base = {
  id: "app-fn",
  name: "fn",
  triggers: [{ event: "shop/order.created" }],
  steps: {
    step: { id: "step", name: "step", runtime: { type: "http", url: "http://127.0.0.1:3000/api/inngest?fnId=app-fn&stepId=step" } },
  },
};

test("accepts the implemented fields", () => {
  const result = validateFunctionConfig({
    ...base,
    triggers: [{ event: "shop/*", expression: "event.data.total > 10" }, { cron: "TZ=Europe/London 0 9 * * *" }],
    steps: { step: { ...base.steps.step, retries: { attempts: 2 } } },
    idempotency: "event.data.orderId",
    throttle: { limit: 10, period: "1m", key: "event.data.connectionId", burst: 2 },
    concurrency: [{ limit: 1, key: "event.data.connectionId", scope: "env" }, { limit: 5 }],
    cancel: [{ event: "shop/order.cancelled", if: "event.data.id == async.data.id", timeout: "1h" }],
  });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(maxAttempts(result.config), 3);
  assert.equal(concurrencyOptions(result.config).length, 2);
  const defaults = validateFunctionConfig(base);
  assert.ok(defaults.ok);
  assert.equal(maxAttempts(defaults.config), 5);
});

test("refuses every unimplemented field by name", () => {
  for (const [field, value] of Object.entries({
    debounce: { period: "5s" },
    batchEvents: { maxSize: 5, timeout: "1s" },
    priority: { run: "1" },
    rateLimit: { limit: 1, period: "1h" },
    singleton: { mode: "skip" },
    timeouts: { finish: "1h" },
  })) {
    const result = validateFunctionConfig({ ...base, [field]: value });
    assert.equal(result.ok, false, field);
    if (!result.ok)
      assert.ok(
        result.reasons.some((r) => r.includes(`"${field}"`)),
        result.reasons.join("; "),
      );
  }
});

test("refuses unknown fields, connect runtimes and bad expressions, durations or crons", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ ...base, brandNew: true }, /unknown config field\(s\) "brandNew"/],
    [{ ...base, steps: { step: { ...base.steps.step, runtime: { type: "ws", url: "ws://x" } } } }, /runtime/],
    [{ ...base, idempotency: "event.data.(" }, /idempotency: invalid CEL/],
    [{ ...base, throttle: { limit: 1, period: "soon" } }, /throttle.period/],
    [{ ...base, triggers: [{ cron: "not a cron" }] }, /cron/],
    [{ ...base, concurrency: { limit: 0 } }, /concurrency/],
  ];
  for (const [config, reason] of cases) {
    const result = validateFunctionConfig(config);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reasons.join("; "), reason);
  }
});

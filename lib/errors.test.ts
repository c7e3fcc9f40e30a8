import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError, ERROR_CODES, httpStatus, isTransientInfraError, SyncError } from "./errors";

test("every error code maps to an HTTP status, and retryable conditions are never 4xx", () => {
  for (const c of ERROR_CODES) assert.ok(httpStatus(c) >= 400 && httpStatus(c) < 600, c);
  // Magento dead-letters on any 4xx: rate limiting and unavailability must be 503.
  assert.equal(httpStatus("rate_limited"), 503);
  assert.equal(httpStatus("service_unavailable"), 503);
  assert.equal(httpStatus("unknown_event"), 422);
});

test("AppError renders the public body without internals", () => {
  const e = new AppError("forbidden", "No access.", { details: { internal: "x" } });
  assert.deepEqual(e.toBody(), { error: "forbidden", message: "No access." });
  assert.equal(e.status, 403);
});

test("transient infrastructure errors are recognised by code, including wrapped ones", () => {
  const refused = Object.assign(new Error("connect"), { code: "ECONNREFUSED" });
  assert.ok(isTransientInfraError(refused));
  assert.ok(isTransientInfraError(new Error("wrapped", { cause: refused })));
  assert.ok(isTransientInfraError(Object.assign(new Error("admin shutdown"), { code: "57P01" })));
  assert.ok(!isTransientInfraError(Object.assign(new Error("unique"), { code: "P2002" })));
  assert.ok(!isTransientInfraError(new Error("plain")));
});

test("SyncError knows which classes retry", () => {
  assert.equal(new SyncError("rate_limited", "slow down").retryable, true);
  assert.equal(new SyncError("validation", "bad").retryable, false);
});

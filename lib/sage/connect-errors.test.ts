import assert from "node:assert/strict";
import { test } from "node:test";
import { CONNECT_ERROR_CODES, connectErrorMessage, isConnectErrorCode, SageConnectError } from "./connect-errors";

test("every connect error code has its own merchant-readable message", () => {
  const messages = CONNECT_ERROR_CODES.map((c) => connectErrorMessage(c));
  assert.ok(messages.every((m) => typeof m === "string" && m.length > 40 && !/undefined|null|\{/.test(m)));
  assert.equal(new Set(messages).size, CONNECT_ERROR_CODES.length);
});

test("codes from the URL are checked: unknown ones read as the generic failure, absent ones as nothing", () => {
  assert.equal(connectErrorMessage("<script>"), connectErrorMessage("internal"));
  assert.equal(connectErrorMessage(undefined), null);
  assert.equal(connectErrorMessage(""), null);
  assert.equal(isConnectErrorCode("state_expired"), true);
  assert.equal(isConnectErrorCode("toString"), false);
});

test("SageConnectError carries the code, the binding and the page's message", () => {
  const e = new SageConnectError("state_expired", { bindingId: "b-1" });
  assert.equal(e.code, "state_expired");
  assert.equal(e.bindingId, "b-1");
  assert.equal(e.message, connectErrorMessage("state_expired"));
  assert.match(e.message, /10 minutes/);
});

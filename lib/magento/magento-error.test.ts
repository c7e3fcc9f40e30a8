import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { magentoErrorMessage, renderMagentoMessage, syncClassForStatus, syncErrorForFailure, syncErrorForResponse } from "./magento-error";

describe("Magento error messages (§8.1)", () => {
  it("fills named placeholders from an object", () => {
    const body =
      '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Byte8_Client::byte8_webapi"}}';
    assert.equal(magentoErrorMessage(body), "The consumer isn't authorized to access Byte8_Client::byte8_webapi.");
    assert.equal(
      magentoErrorMessage(
        Buffer.from('{"message":"No such entity with %fieldName = %fieldValue","parameters":{"fieldName":"id","fieldValue":77}}'),
      ),
      "No such entity with id = 77",
    );
  });

  it("fills positional placeholders from a list, %10 before %1", () => {
    assert.equal(
      renderMagentoMessage("Invoice %1 has no associated order payment.", ["42"]),
      "Invoice 42 has no associated order payment.",
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `v${i + 1}`);
    assert.equal(renderMagentoMessage("%1-%10-%11", eleven), "v1-v10-v11");
  });

  it("prefers the longest key and replaces in one pass (PHP strtr)", () => {
    assert.equal(renderMagentoMessage("%id/%ident", { id: "%ident", ident: "X" }), "%ident/X");
  });

  it("leaves unknown placeholders and templates without parameters alone", () => {
    assert.equal(magentoErrorMessage('{"message":"Invalid or expired pairing code."}'), "Invalid or expired pairing code.");
    assert.equal(
      renderMagentoMessage("Unknown entity_type %1; expected one of: %2", ["order"]),
      "Unknown entity_type order; expected one of: %2",
    );
  });

  it("returns null for non-Magento bodies", () => {
    assert.equal(magentoErrorMessage("<html>502 Bad Gateway</html>"), null);
    assert.equal(magentoErrorMessage('{"error":"x"}'), null);
  });
});

describe("status → sync class (D3)", () => {
  it("maps statuses", () => {
    const table: [number, string][] = [
      [400, "validation"],
      [401, "auth"],
      [403, "auth"],
      [404, "not_found"],
      [405, "validation"],
      [408, "http"],
      [422, "validation"],
      [429, "rate_limited"],
      [500, "http"],
      [502, "http"],
      [503, "http"],
    ];
    for (const [status, cls] of table) assert.equal(syncClassForStatus(status), cls, String(status));
  });

  it("builds SyncErrors that keep Magento's message and Retry-After", () => {
    const e = syncErrorForResponse(429, Buffer.from('{"message":"Slow down"}'), { "retry-after": "12" }, "GET /rest/V1/byte8/ping");
    assert.equal(e.syncClass, "rate_limited");
    assert.equal(e.message, "Slow down");
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterSeconds, 12);
    const html = syncErrorForResponse(503, Buffer.from("<html>"), {}, "GET /rest/V1/byte8/ping");
    assert.equal(html.message, "Magento answered GET /rest/V1/byte8/ping with HTTP 503");
    assert.equal(html.retryable, true);
  });

  it("classes network failures", () => {
    assert.equal(syncErrorForFailure({ kind: "timeout", message: "t" }, "x").syncClass, "http");
    assert.equal(syncErrorForFailure({ kind: "unreachable", message: "u", code: "ECONNREFUSED" }, "x").syncClass, "http");
    assert.equal(syncErrorForFailure({ kind: "too_large", message: "big" }, "x").syncClass, "serde");
    assert.equal(syncErrorForFailure({ kind: "blocked_address", message: "b" }, "x").syncClass, "validation");
    const redirect = syncErrorForFailure({ kind: "redirect", message: "r", status: 301, location: "https://shop/" }, "x");
    assert.equal(redirect.status, 301);
    assert.match(redirect.message, /https:\/\/shop\//);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SAGE_IDEMPOTENCY_ID, sageIdempotencyId } from "./idempotency";

describe("sageIdempotencyId", () => {
  it("is 32 lowercase hex characters, as Sage requires (sage-api §3.9)", () => {
    const id = sageIdempotencyId("sales_invoice", "b1:invoice:42:1");
    assert.match(id, SAGE_IDEMPOTENCY_ID);
    assert.equal(id.length, 32);
  });
  it("is deterministic: a replay sends the same id", () => {
    assert.equal(sageIdempotencyId("contact", "b1:customer:7:3"), sageIdempotencyId("contact", "b1:customer:7:3"));
  });
  it("pins the derivation (changing it would re-create documents replayed within 7 days)", () => {
    assert.equal(sageIdempotencyId("sales_invoice", "b1:invoice:42:1"), "cb2195a98d7ae63048ae43fe6055a463");
  });
  it("differs per key and per resource type (IdempotencyResourceMismatch)", () => {
    const ids = new Set([
      sageIdempotencyId("contact_payment", "b1:invoice:42:1"),
      sageIdempotencyId("contact_allocation", "b1:invoice:42:1"),
      sageIdempotencyId("contact_payment", "b1:invoice:42:2"),
      sageIdempotencyId("contact_payment", "b2:invoice:42:1"),
    ]);
    assert.equal(ids.size, 4);
  });
  it("refuses an empty key", () => {
    assert.throws(() => sageIdempotencyId("product", "  "), /must not be empty/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAGENTO_EVENTS,
  derivedIdempotencyKey,
  disconnectIdempotencyKey,
  isMagentoEvent,
  mirrorEntityType,
  parseWebhook,
  resolveIdempotencyKey,
} from "./events";

const INVOICE_CREATED =
  '{"magento_entity_id":42,"website_id":1,"store_id":1,"occurred_at":"2026-04-30T12:00:00Z","payload":{"increment_id":"000000042","paid":true}}';
const CUSTOMER = '{"magento_entity_id":7,"website_id":1,"store_id":0,"occurred_at":"2026-04-30T12:00:00Z","payload":{}}';

describe("event names", () => {
  it("is the closed set of five", () => {
    assert.deepEqual(
      [...MAGENTO_EVENTS],
      ["invoice.created", "invoice.paid", "creditmemo.created", "customer.upserted", "product.upserted"],
    );
    assert.equal(isMagentoEvent("invoice.paid"), true);
    assert.equal(isMagentoEvent("order.created"), false);
    assert.equal(isMagentoEvent("Invoice.Created"), false);
  });

  it("maps to the mirror entity type by the prefix before the first dot", () => {
    assert.equal(mirrorEntityType("invoice.created"), "invoice");
    assert.equal(mirrorEntityType("invoice.paid"), "invoice");
    assert.equal(mirrorEntityType("creditmemo.created"), "creditmemo");
    assert.equal(mirrorEntityType("customer.upserted"), "customer");
    assert.equal(mirrorEntityType("product.upserted"), "product");
  });
});

describe("parseWebhook (§5.1, §5.4)", () => {
  it("parses the byte-exact §5.3 invoice.created example", () => {
    const r = parseWebhook("invoice.created", INVOICE_CREATED);
    assert.ok(r.ok);
    assert.equal(r.entityType, "invoice");
    assert.deepEqual(r.body, {
      magento_entity_id: 42,
      website_id: 1,
      store_id: 1,
      occurred_at: "2026-04-30T12:00:00Z",
      payload: { increment_id: "000000042", paid: true },
    });
  });

  it("parses the customer example with store 0 and an empty payload", () => {
    const r = parseWebhook("customer.upserted", CUSTOMER);
    assert.ok(r.ok);
    assert.deepEqual(r.body, { magento_entity_id: 7, website_id: 1, store_id: 0, occurred_at: "2026-04-30T12:00:00Z", payload: {} });
  });

  it("tolerates missing optional keys, extra keys, website/store 0 and PHP's [] for an empty payload", () => {
    const r = parseWebhook("product.upserted", '{"magento_entity_id":5,"website_id":0,"store_id":0,"payload":[],"future":1}');
    assert.ok(r.ok);
    assert.deepEqual(r.body, { magento_entity_id: 5, website_id: 0, store_id: 0, payload: {} });
    const bare = parseWebhook("invoice.paid", '{"magento_entity_id":99}');
    assert.ok(bare.ok);
    assert.deepEqual(bare.body, { magento_entity_id: 99, payload: {} });
  });

  it("keeps `paid` only on invoice.created", () => {
    const r = parseWebhook("invoice.paid", '{"magento_entity_id":42,"payload":{"increment_id":"000000042","paid":true}}');
    assert.ok(r.ok);
    assert.deepEqual(r.body.payload, { increment_id: "000000042" });
  });

  it("rejects a non-positive or non-integer entity id", () => {
    for (const id of ["0", "-1", "1.5", '"42"', "null"]) {
      const r = parseWebhook("invoice.created", `{"magento_entity_id":${id}}`);
      assert.equal(r.ok, false, id);
      assert.equal(!r.ok && r.reason, "invalid_body");
    }
    const missing = parseWebhook("invoice.created", '{"website_id":1}');
    assert.ok(!missing.ok && missing.reason === "invalid_body" && missing.issues[0].path === "magento_entity_id");
  });

  it("rejects bodies that are not a JSON object, and unknown events before reading the body", () => {
    assert.deepEqual(parseWebhook("invoice.created", "not json"), { ok: false, reason: "invalid_json" });
    assert.equal(parseWebhook("invoice.created", "[1]").ok, false);
    assert.deepEqual(parseWebhook("order.shipped", INVOICE_CREATED), { ok: false, reason: "unknown_event" });
  });

  it("rejects a wrongly typed `paid` and a negative website", () => {
    assert.equal(parseWebhook("invoice.created", '{"magento_entity_id":1,"payload":{"paid":"yes"}}').ok, false);
    assert.equal(parseWebhook("invoice.created", '{"magento_entity_id":1,"website_id":-1}').ok, false);
  });
});

describe("idempotency keys (§5.2, §13.2)", () => {
  it("derives <event>:sha1(body) when no header was sent", () => {
    assert.equal(
      derivedIdempotencyKey("invoice.paid", '{"magento_entity_id":99}'),
      "invoice.paid:bef52c8643538891e17925153173c9b3da742fac",
    );
    assert.equal(
      derivedIdempotencyKey("invoice.paid", Buffer.from('{"magento_entity_id":99}')),
      "invoice.paid:bef52c8643538891e17925153173c9b3da742fac",
    );
  });

  it("prefers a non-blank header", () => {
    assert.equal(resolveIdempotencyKey(" invoice.created:42 ", "invoice.created", INVOICE_CREATED), "invoice.created:42");
    assert.equal(
      resolveIdempotencyKey("  ", "invoice.paid", '{"magento_entity_id":99}'),
      "invoice.paid:bef52c8643538891e17925153173c9b3da742fac",
    );
    assert.equal(
      resolveIdempotencyKey(null, "invoice.paid", '{"magento_entity_id":99}'),
      "invoice.paid:bef52c8643538891e17925153173c9b3da742fac",
    );
  });

  it("computes Magento's disconnect key", () => {
    assert.equal(disconnectIdempotencyKey("a8d4e2e0-1c4e-11ef-9262-0242ac120002"), "disconnect:1253ef880a7bbed0b487070a78a80bcce271b26c");
  });
});

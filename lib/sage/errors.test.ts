import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SYNC_ERROR_CLASSES, SyncError, type SyncErrorClass } from "@/lib/errors";
import { classifySageResponse, isInvalidGrant, parseRetryAfter, SageInvalidGrantError, sageErrorMessage, toSyncError } from "./errors";

const body = (dataCode: string | null, message = "Something.", source = "") =>
  JSON.stringify([{ $severity: "error", $dataCode: dataCode, $message: message, $source: source }]);

describe("classifySageResponse (D3: by status and $dataCode only)", () => {
  const cases: Array<[status: number, rawBody: string, expected: SyncErrorClass, note: string]> = [
    [401, body("AuthorizationFailure", "No active subscription. (MSE)"), "auth", "expired subscription"],
    [401, "", "auth", "bare 401"],
    [403, body("MultiUserAccessDenied"), "auth", "role lacks access"],
    [404, body("RecordNotFound", "Couldn't find record."), "not_found", "path record missing"],
    [404, "<html>not found</html>", "not_found", "unknown path"],
    [422, body("RecordInvalid", "This field is required.", "line_items.tax_rate_id"), "provider", "Sage rule / catalogued quirk"],
    [422, body("RecordNotFound", "Couldn't find record."), "validation", "stale referenced id in body"],
    [422, body("IdempotencyResourceMismatch", "Entity type mismatch"), "validation", "idempotency id reused"],
    [400, body("RecordInvalid"), "validation", "400 with validation code"],
    [400, "", "validation", "malformed request without body"],
    [415, "", "validation", "wrong media type"],
    [422, body("AuthorizationFailure"), "auth", "auth code on a 422"],
    [422, body("VatReconciled", "You cannot edit VAT reconciled transactions."), "provider", "business rule code"],
    [422, "", "provider", "422 without an error array"],
    [409, body("Conflict"), "http", "concurrent request with the same idempotency_id"],
    [403, body("VatReconciled"), "auth", "status decides before $dataCode"],
    [429, body("TooManyRequests"), "rate_limited", "throttled"],
    [429, "", "rate_limited", "throttled, no body"],
    [405, "", "internal", "wrong verb is our bug"],
    [408, "", "http", "request timeout"],
    [500, body("UnexpectedError", "An unexpected error occurred."), "http", "Sage bug"],
    [502, "<html>bad gateway</html>", "http", "gateway html"],
    [503, body("ServiceUnavailable"), "http", "retry later"],
  ];
  for (const [status, rawBody, expected, note] of cases) {
    it(`${status} ${note} → ${expected}`, () => {
      const e = classifySageResponse({ status, rawBody });
      assert.equal(e.syncClass, expected);
      assert.equal(e.status, status);
    });
  }

  it("never reads the message: same text, different $dataCode, different class", () => {
    const a = classifySageResponse({ status: 422, rawBody: body("RecordNotFound", "Couldn't find Supplier.") });
    const b = classifySageResponse({ status: 422, rawBody: body("SomethingElse", "Couldn't find Supplier.") });
    assert.equal(a.syncClass, "validation");
    assert.equal(b.syncClass, "provider");
  });

  it("keeps $dataCode as providerCode and the parsed errors in details", () => {
    const e = classifySageResponse({ status: 422, rawBody: body("RecordInvalid", "is too long", "reference") });
    assert.equal(e.providerCode, "RecordInvalid");
    assert.deepEqual(e.details, {
      errors: [{ $severity: "error", $dataCode: "RecordInvalid", $message: "is too long", $source: "reference" }],
    });
  });

  it("accepts a single error object instead of an array", () => {
    const e = classifySageResponse({
      status: 422,
      rawBody: JSON.stringify({ $dataCode: "RecordInvalid", $message: "bad", $source: "name" }),
    });
    assert.equal(e.syncClass, "provider");
    assert.equal(e.message, "name: bad");
  });

  it("covers every class that a Sage answer can produce", () => {
    const produced = new Set(cases.map((c) => c[2]));
    const fromElsewhere = new Set<SyncErrorClass>(["serde", "database"]);
    for (const c of SYNC_ERROR_CLASSES) assert.ok(produced.has(c) || fromElsewhere.has(c), `class ${c} never produced`);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-05-01T12:00:00Z");
  const cases: Array<[string | null | undefined, number | undefined]> = [
    ["7", 7],
    [" 120 ", 120],
    ["0", 0],
    ["Fri, 01 May 2026 12:00:30 GMT", 30],
    ["Fri, 01 May 2026 12:00:00 GMT", 0],
    ["Fri, 01 May 2026 11:59:00 GMT", 0],
    ["Friday, 01-May-26 12:01:00 GMT", 60],
    ["-5", undefined],
    ["1.5", undefined],
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(parseRetryAfter(value, now), expected));
  }

  it("is attached to 429 and 503 answers only", () => {
    const r429 = classifySageResponse({ status: 429, rawBody: "", retryAfter: "Fri, 01 May 2026 12:00:10 GMT", nowMs: now });
    assert.equal(r429.retryAfterSeconds, 10);
    assert.equal(classifySageResponse({ status: 503, rawBody: "", retryAfter: "3" }).retryAfterSeconds, 3);
    assert.equal(classifySageResponse({ status: 422, rawBody: "", retryAfter: "3" }).retryAfterSeconds, undefined);
  });
});

describe("sageErrorMessage", () => {
  it("uses $source as a prefix unless it is empty or base", () => {
    assert.equal(
      sageErrorMessage([{ $message: "This field is required.", $source: "line_items.description" }], 422),
      "line_items.description: This field is required.",
    );
    assert.equal(sageErrorMessage([{ $message: "Couldn't find record.", $source: "" }], 404), "Couldn't find record.");
    assert.equal(sageErrorMessage([{ $message: "Not allowed.", $source: "base" }], 422), "Not allowed.");
  });
  it("falls back to the status when Sage said nothing", () => {
    assert.equal(sageErrorMessage([], 502), "Sage answered HTTP 502");
  });
});

describe("toSyncError", () => {
  it("passes SyncErrors through untouched", () => {
    const e = new SyncError("provider", "x");
    assert.equal(toSyncError(e), e);
  });
  it("labels Prisma and PostgreSQL failures database", () => {
    const prisma = Object.assign(new Error("Unique constraint failed"), { code: "P2002" });
    const pg = Object.assign(new Error("deadlock detected"), { code: "40P01", severity: "ERROR" });
    const wrapped = new Error("custody failed", { cause: pg });
    assert.equal(toSyncError(prisma).syncClass, "database");
    assert.equal(toSyncError(pg).syncClass, "database");
    assert.equal(toSyncError(wrapped).syncClass, "database");
  });
  it("labels anything else internal", () => {
    assert.equal(toSyncError(new TypeError("x is undefined")).syncClass, "internal");
    assert.equal(toSyncError("boom").message, "boom");
  });
  it("invalid_grant is auth and recognisable", () => {
    const e = new SageInvalidGrantError("refresh rejected", 400);
    assert.equal(e.syncClass, "auth");
    assert.equal(e.providerCode, "invalid_grant");
    assert.ok(isInvalidGrant(e));
    assert.equal(isInvalidGrant(new SyncError("auth", "x")), false);
  });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { classify, type LedgerDoc, type SageDoc } from "./classify";
import { periodFor } from "./period";
import { computeTotals, countByClass, perDay } from "./totals";

/** The comparison's rules, one case per class and reason, and the period and totals arithmetic. */

const period = { start: "2026-04-01", end: "2026-04-30" };
const doc = (over: Partial<LedgerDoc>): LedgerDoc => ({
  documentType: "invoice",
  magentoEntityId: 1,
  incrementId: "000000001",
  runId: "r1",
  runStatus: "succeeded",
  reasonCode: null,
  errorClass: null,
  errorMessage: null,
  documentDate: "2026-04-02",
  currency: "GBP",
  magentoPence: 1200,
  sageId: "s1",
  sageReference: "SI-1",
  postedSagePence: 1200,
  exchangeRate: 1,
  ...over,
});
const sageDoc = (over: Partial<SageDoc>): SageDoc => ({
  id: "s1",
  documentType: "invoice",
  displayedAs: "SI-1",
  reference: "MAG-000000001",
  date: "2026-04-02",
  currency: "GBP",
  statusId: "UNPAID",
  totalPence: 1200,
  basePence: 1200,
  deleted: false,
  ...over,
});
const one = (d: LedgerDoc, s: SageDoc[] = [sageDoc({})], prefix: string | null = "MAG-") =>
  classify({ ledger: [d], sage: new Map(s.map((x) => [x.id, x])), ledgerSageIds: new Set(["s1"]), prefix, period });

test("matched, amount differs (Sage stored a different figure at posting), edited after posting", () => {
  assert.equal(one(doc({}))[0].class, "matched");
  const drift = one(doc({ postedSagePence: 1201 }), [sageDoc({ totalPence: 1201 })])[0];
  assert.deepEqual([drift.class, drift.differencePence], ["amount_differs", 1]);
  const edited = one(doc({}), [sageDoc({ totalPence: 1100 })])[0];
  assert.deepEqual([edited.class, edited.reason, edited.differencePence], ["changed_in_sage", "edited", -100]);
  assert.match(edited.reasonDetail ?? "", /12\.00 after posting and shows 11\.00/);
});

test("voided and deleted count as nothing in Sage", () => {
  const v = one(doc({}), [sageDoc({ statusId: "VOID" })])[0];
  assert.deepEqual([v.class, v.reason, v.sagePence, v.differencePence], ["changed_in_sage", "voided", 0, -1200]);
  const d = one(doc({}), [sageDoc({ deleted: true })])[0];
  assert.deepEqual([d.class, d.reason, d.sageStatus], ["changed_in_sage", "deleted", "DELETED"]);
  assert.equal(one(doc({}), [])[0].reason, "deleted", "absent from Sage altogether");
});

test("missing in Sage carries the run's reason", () => {
  const cases: [Partial<LedgerDoc>, string][] = [
    [{ runStatus: "failed", errorClass: "provider", errorMessage: "tax_rate_id" }, "failed:provider"],
    [{ runStatus: "skipped_by_policy", reasonCode: "zero_value_invoice" }, "skipped:zero_value_invoice"],
    [{ runStatus: "waiting", errorMessage: "waiting for its invoice" }, "waiting"],
    [{ runStatus: "queued" }, "pending"],
    [{ runStatus: "succeeded", sageId: null }, "no_document"],
  ];
  for (const [over, reason] of cases) {
    const r = one(doc({ ...over, sageId: over.runStatus === "succeeded" ? null : "s1" }))[0];
    assert.deepEqual([r.class, r.reason, r.sagePence, r.differencePence], ["missing_in_sage", reason, null, -1200], reason);
  }
});

test("not from Ledger: the prefix, the period and Ledger's own ids decide; duplicates are named", () => {
  const docs = [
    sageDoc({}),
    sageDoc({ id: "dup", displayedAs: "SI-9" }),
    sageDoc({ id: "hand", reference: "MAG-HAND" }),
    sageDoc({ id: "other", reference: "WEB-1" }),
    sageDoc({ id: "late", reference: "MAG-2", date: "2026-05-01" }),
    sageDoc({ id: "gone", reference: "MAG-3", deleted: true }),
  ];
  const rows = one(doc({}), docs).filter((r) => r.class === "not_from_ledger");
  assert.deepEqual(
    rows.map((r) => [r.sageId, r.reason]),
    [
      ["dup", "duplicate"],
      ["hand", "by_hand"],
    ],
  );
  assert.equal(one(doc({}), docs, null).length, 1, "without a prefix no Sage document is attributed to the store");
});

test("totals per currency and type, base currency via the rate, counts and days", () => {
  const rows = classify({
    ledger: [
      doc({}),
      doc({ magentoEntityId: 2, sageId: "s2", currency: "EUR", magentoPence: 1170, postedSagePence: 1170, exchangeRate: 1.17 }),
      doc({
        magentoEntityId: 3,
        sageId: null,
        runStatus: "failed",
        currency: "EUR",
        magentoPence: 500,
        exchangeRate: null,
        documentDate: "2026-04-03",
      }),
    ],
    sage: new Map([
      ["s1", sageDoc({})],
      ["s2", sageDoc({ id: "s2", currency: "EUR", totalPence: 1170, basePence: 1000 })],
    ]),
    ledgerSageIds: new Set(["s1", "s2"]),
    prefix: "MAG-",
    period,
  });
  const t = computeTotals(rows, "GBP");
  assert.deepEqual(
    t.byCurrency.map((l) => [l.currency, l.magentoPence, l.sagePence, l.differencePence]),
    [
      ["EUR", 1670, 1170, -500],
      ["GBP", 1200, 1200, 0],
    ],
  );
  assert.deepEqual(
    t.base.map((l) => [l.currency, l.magentoPence, l.sagePence, l.unconverted]),
    [["GBP", 2200, 2200, 1]],
  );
  assert.equal(countByClass(rows).missing_in_sage, 1);
  const days = perDay(rows, { start: "2026-04-02", end: "2026-04-04" });
  assert.deepEqual(days, [
    { date: "2026-04-02", matched: 2, other: 0 },
    { date: "2026-04-03", matched: 0, other: 1 },
    { date: "2026-04-04", matched: 0, other: 0 },
  ]);
});

test("a document with a base figure on one side only stays out of both sides of the base total", () => {
  const rows = classify({
    ledger: [
      doc({}),
      // Magento sent no rate; Sage holds the base figure: matched, but not comparable in GBP.
      doc({ magentoEntityId: 2, sageId: "s2", currency: "EUR", magentoPence: 1170, postedSagePence: 1170, exchangeRate: null }),
    ],
    sage: new Map([
      ["s1", sageDoc({})],
      ["s2", sageDoc({ id: "s2", reference: "MAG-000000002", currency: "EUR", totalPence: 1170, basePence: 1000 })],
    ]),
    ledgerSageIds: new Set(["s1", "s2"]),
    prefix: "MAG-",
    period,
  });
  assert.deepEqual(
    rows.map((r) => r.class),
    ["matched", "matched"],
  );
  assert.deepEqual(
    computeTotals(rows, "GBP").base.map((l) => [l.magentoPence, l.sagePence, l.differencePence, l.documents, l.unconverted]),
    [[1200, 1200, 0, 2, 1]],
  );
});

test("periods: day, ISO week, calendar month, custom (capped)", () => {
  assert.deepEqual(periodFor("day", "2026-04-15"), { start: "2026-04-15", end: "2026-04-15" });
  assert.deepEqual(periodFor("week", "2026-04-15"), { start: "2026-04-13", end: "2026-04-19" });
  assert.deepEqual(periodFor("month", "2026-02-10"), { start: "2026-02-01", end: "2026-02-28" });
  assert.deepEqual(periodFor("custom", "2026-04-15", "2026-04-01", "2026-04-09"), { start: "2026-04-01", end: "2026-04-09" });
  assert.deepEqual(periodFor("custom", "2026-04-15", "2026-01-01", "2026-12-31"), { start: "2026-01-01", end: "2026-04-02" });
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { differenceLine, summarise, type ReconciliationResult } from "./notify";

const result = (
  counts: Partial<ReconciliationResult["counts"]>,
  examples: ReconciliationResult["examples"] = [],
): ReconciliationResult => ({
  reconciliationId: "00000000-0000-4000-8000-000000000001",
  tenantId: "00000000-0000-4000-8000-000000000002",
  bindingId: "00000000-0000-4000-8000-000000000003",
  period: { start: "2026-11-01", end: "2026-11-30" },
  counts: { matched: 0, amount_differs: 0, missing_in_sage: 0, changed_in_sage: 0, not_from_ledger: 0, ...counts },
  examples,
});

test("the alert line counts differences by class, names the period and gives one example", () => {
  const s = summarise(
    result({ matched: 40, changed_in_sage: 2, missing_in_sage: 1 }, [
      { class: "changed_in_sage", documentType: "invoice", reference: "000000012", differencePence: 500, currency: "GBP" },
    ]),
  );
  assert.equal(s.differences, 3);
  assert.equal(
    differenceLine(s),
    "Reconciliation 2026-11-01 to 2026-11-30: 3 differences (1 missing in Sage, 2 changed in Sage), e.g. Invoice 000000012 changed in Sage",
  );
});

test("one day and one difference read naturally", () => {
  const s = summarise({ ...result({ not_from_ledger: 1 }), period: { start: "2026-11-05", end: "2026-11-05" } });
  assert.equal(differenceLine(s), "Reconciliation 2026-11-05: 1 difference (1 not from Ledger)");
});

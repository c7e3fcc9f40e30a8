import assert from "node:assert/strict";
import { test } from "node:test";
import { SYNC_ERROR_CLASSES } from "@/lib/errors";
import { MAGENTO_EVENTS, MIRROR_ENTITY_TYPES } from "@/lib/magento/events";
import { SKIP_REASONS } from "@/lib/policy/evaluate";
import { TOTAL_MISMATCH } from "@/lib/books/verify-posting";
import { WARNING_EU_COERCED } from "@/lib/translate/document";
import {
  chipForStatus,
  codeMeaning,
  ENTITY_TYPES,
  ERROR_CLASS_MEANING,
  EVENTS,
  firstLine,
  RUN_STATUSES,
  RUN_WARNING_MEANING,
  RUN_WARNINGS,
  SKIP_REASON_MEANING,
} from "./vocabulary";

test("browser-safe copies equal the originals", () => {
  assert.deepEqual([...EVENTS], [...MAGENTO_EVENTS]);
  assert.deepEqual([...ENTITY_TYPES], [...MIRROR_ENTITY_TYPES]);
  assert.deepEqual([...RUN_WARNINGS].sort(), [TOTAL_MISMATCH, WARNING_EU_COERCED].sort());
});

test("every warning has a meaning a merchant can act on (D11)", () => {
  assert.deepEqual(Object.keys(RUN_WARNING_MEANING).sort(), [...RUN_WARNINGS].sort());
  assert.match(codeMeaning("total_mismatch") ?? "", /differs from Magento/);
});

test("every skip reason and error class has a plain-English meaning", () => {
  assert.equal(SKIP_REASONS.length, 9);
  assert.deepEqual(Object.keys(SKIP_REASON_MEANING).sort(), [...SKIP_REASONS].sort());
  assert.deepEqual(Object.keys(ERROR_CLASS_MEANING).sort(), [...SYNC_ERROR_CLASSES].sort());
  assert.match(codeMeaning("payment_method_not_mapped") ?? "", /payment method/);
  assert.equal(codeMeaning("nonsense"), null);
});

test("run statuses map onto chips (D3)", () => {
  assert.deepEqual(
    RUN_STATUSES.map((s) => chipForStatus(s)),
    ["pending", "pending", "pending", "synced", "skipped", "failed"],
  );
  assert.equal(chipForStatus(null), "none");
  assert.equal(firstLine("Line items invalid\n$source: line_items"), "Line items invalid");
  assert.equal(firstLine(null), "");
});

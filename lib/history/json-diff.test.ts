import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonDiff } from "./json-diff";

test("reports added, removed and changed paths through objects and arrays", () => {
  const before = { contact: { id: "c1" }, lines: [{ tax_rate: { id: "GB_STANDARD" }, qty: 1 }, { qty: 2 }], notes: "x" };
  const after = { contact: { id: "c1" }, lines: [{ tax_rate: { id: "GB_ZERO" }, qty: 1 }], reference: "SI-9", "odd key": 1 };
  assert.deepEqual(jsonDiff(before, after), [
    { path: "lines[0].tax_rate.id", kind: "changed", before: "GB_STANDARD", after: "GB_ZERO" },
    { path: "lines[1]", kind: "removed", before: { qty: 2 } },
    { path: "notes", kind: "removed", before: "x" },
    { path: "reference", kind: "added", after: "SI-9" },
    { path: '["odd key"]', kind: "added", after: 1 },
  ]);
});

test("identical values and type changes", () => {
  assert.deepEqual(jsonDiff({ a: [1, { b: null }] }, { a: [1, { b: null }] }), []);
  assert.deepEqual(jsonDiff({ a: [1] }, { a: { 0: 1 } }), [{ path: "a", kind: "changed", before: [1], after: { 0: 1 } }]);
  assert.deepEqual(jsonDiff(1, 2), [{ path: "(root)", kind: "changed", before: 1, after: 2 }]);
});

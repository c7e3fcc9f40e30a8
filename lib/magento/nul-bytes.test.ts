import assert from "node:assert/strict";
import { test } from "node:test";
import { replaceNul, replaceNulText } from "./nul-bytes";

test("NUL is replaced with U+FFFD in strings, nested values and keys, and counted", () => {
  const { value, replaced } = replaceNul({ name: "Ann\u0000e", lines: [{ sku: "A\u0000\u0000" }], ["k\u0000"]: 1, n: 2, ok: null });
  assert.deepEqual(value, { name: "Ann\uFFFDe", lines: [{ sku: "A\uFFFD\uFFFD" }], ["k\uFFFD"]: 1, n: 2, ok: null });
  assert.equal(replaced, 4);
  assert.deepEqual(replaceNul({ clean: "yes" }), { value: { clean: "yes" }, replaced: 0 });
  assert.deepEqual(replaceNulText('{"a":"x\u0000"}'), { text: '{"a":"x\uFFFD"}', replaced: 1 });
});

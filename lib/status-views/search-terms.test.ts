import assert from "node:assert/strict";
import { test } from "node:test";
import { searchTerms } from "./search-terms";

test("a leading zero is a document number, never an entity id (issue 17)", () => {
  assert.deepEqual(searchTerms("000000028"), { text: "000000028", documentNumbers: ["000000028"], entityId: null });
});

test("Sage's prefix is stripped to find Magento's document number", () => {
  assert.deepEqual(searchTerms(" MAG-000000028 ").documentNumbers, ["MAG-000000028", "000000028"]);
  assert.deepEqual(searchTerms("SI-23").documentNumbers, ["SI-23", "23"]);
  assert.equal(searchTerms("SI-23").entityId, null);
});

test("only a plain positive 32-bit integer can be an entity id", () => {
  assert.equal(searchTerms("28").entityId, 28);
  assert.equal(searchTerms("0").entityId, null);
  assert.equal(searchTerms("2147483648").entityId, null);
  assert.equal(searchTerms("jane@acme.test").entityId, null);
  assert.deepEqual(searchTerms("jane@acme.test").documentNumbers, ["jane@acme.test"]);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { SYNC_ERROR_CLASSES } from "@/lib/errors";
import { SKIP_REASONS } from "@/lib/policy/evaluate";
import { FIXES, fixFor, fixHref, refusedSetting, SETTINGS_CARDS } from "./fixes";
import { codeMeaning, RUN_WARNINGS } from "./vocabulary";

const ALL = [...SKIP_REASONS, ...SYNC_ERROR_CLASSES, ...RUN_WARNINGS];

test("every skip reason, error class and warning has a plain sentence, and nothing else does", () => {
  assert.deepEqual(Object.keys(FIXES).sort(), [...ALL].sort());
  for (const code of ALL) {
    const { sentence, action, target } = FIXES[code];
    assert.match(sentence, /^[A-Z].{20,}[.]$/, `${code}: one sentence`);
    // People read sentences, not codes: no snake_case word and no jargon the issue called out.
    assert.doesNotMatch(sentence, /\b[a-z]+_[a-z_]+\b/, `${code} names no code`);
    assert.doesNotMatch(sentence, /\b(4xx|5xx|None|provider|serde)\b/, `${code} has no jargon`);
    assert.equal(action === null, target === null, `${code}: an action has a target and vice versa`);
    assert.equal(codeMeaning(code), sentence, `${code}: the vocabulary reads the same sentence`);
  }
});

test("skip reasons a setting decides link to that setting's card", () => {
  assert.deepEqual(FIXES.payment_method_not_mapped.target, { kind: "setting", card: "payment-methods" });
  assert.deepEqual(FIXES.outside_sync_since.target, { kind: "setting", card: "sync-behaviour" });
  assert.deepEqual(FIXES.auth.target, { kind: "reconnect_sage" });
  for (const f of Object.values(FIXES)) if (f.target?.kind === "setting") assert.ok(f.target.card in SETTINGS_CARDS);
});

test("a refusal names the field Sage refused and links to the setting behind it", () => {
  assert.deepEqual(refusedSetting("contact.reference: has already been taken"), { field: "contact.reference", card: "b2c" });
  assert.deepEqual(refusedSetting("invoice_lines[0].tax_rate_id: is not valid"), {
    field: "invoice_lines[0].tax_rate_id",
    card: "tax-rates",
  });
  assert.deepEqual(refusedSetting("line_items.description: This field is required\n$source: invoice_lines[0].tax_rate_id — deleted"), {
    field: "invoice_lines[0].tax_rate_id",
    card: "tax-rates",
  });
  assert.deepEqual(refusedSetting("Contact reference M5 is reserved by a deleted contact"), {
    field: "the contact reference M5",
    card: "b2c",
  });
  assert.deepEqual(refusedSetting("reference: has already been taken"), {
    field: "the contact reference (already taken in Sage)",
    card: "b2c",
  });
  assert.equal(refusedSetting("Sage answered HTTP 422"), null);
  assert.equal(refusedSetting("Sage answered 503 Service Unavailable"), null);
  assert.equal(refusedSetting(null), null);
  const fix = fixFor("provider", "contact.reference: has already been taken");
  assert.equal(fix?.sentence, "Sage refused contact.reference. Change the B2C Consolidation setting it comes from, then retry.");
  assert.equal(fix?.action, "Open B2C Consolidation");
  // Without a field, the class's own sentence.
  assert.equal(fixFor("provider", "Sage answered HTTP 422"), FIXES.provider);
  assert.equal(fixFor("nonsense"), null);
  assert.equal(fixFor(null), null);
});

test("fix links point at the binding's settings card or Connect Sage", () => {
  const b = "0b7d7f3e-1c2a-4d5e-8f90-123456789abc";
  assert.equal(fixHref({ kind: "setting", card: "payment-methods" }, b), `/dashboard/bindings/${b}/settings#payment-methods`);
  assert.equal(fixHref({ kind: "reconnect_sage" }, b), `/dashboard/connect-sage?binding=${b}`);
  assert.equal(fixHref({ kind: "magento", where: "x" }, b), null);
  assert.equal(fixHref({ kind: "sage_document" }, b, "https://sage.example/doc"), "https://sage.example/doc");
});

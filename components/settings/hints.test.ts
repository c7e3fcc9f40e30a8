import assert from "node:assert/strict";
import { test } from "node:test";
import { settingHints as h } from "./hints";

test("each hint says what the current value does", () => {
  assert.equal(h.invoicePrefix("MAG-"), "Invoice 100012345 reaches Sage as MAG-100012345; credit notes likewise.");
  assert.match(h.invoicePrefix(""), /^None: Sage gets Magento's own numbers/);
  assert.match(h.syncUnpaid(true), /^On:/);
  assert.match(h.syncUnpaid(false), /^Off: only invoices paid at creation/);
  assert.notEqual(h.syncZeroValue(true), h.syncZeroValue(false));
  assert.equal(h.syncSince("2026-01-01"), "Documents dated before 2026-01-01 (UTC) are skipped as older than the cut-over.");
  assert.match(h.syncSince(""), /^Empty: every document syncs/);
  assert.match(h.sharedReference("WEBSHOP"), /WEBSHOPE for EUR/);
  assert.equal(h.individualFrom("250"), "Guests whose order totals 250 or more get their own contact.");
  assert.match(h.individualFrom("0"), /^0 = off/);
  assert.match(h.individualFrom(""), /^0 = off/);
});

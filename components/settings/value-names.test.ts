import assert from "node:assert/strict";
import { test } from "node:test";
import { settingName, valueName } from "./value-names";

const o = {
  taxRates: [{ id: "GB_STANDARD", label: "Standard 20%" }],
  sales: [],
  expenses: [],
  banks: [{ id: "9f2c", label: "Current Account (1200)" }],
};

test("the history diff reads names, not keys and ids (issue 17)", () => {
  assert.equal(settingName("default_bank_account_id"), "Default bank account");
  assert.equal(settingName('tax_rate_map["17.50"]'), "Tax rate map 17.50");
  assert.equal(settingName("b2c_consolidation.enabled"), "B2c consolidation › enabled");
  assert.equal(valueName("default_bank_account_id", "9f2c", o), "Current Account (1200)");
  assert.equal(valueName('payment_method_map["klarna"]', "9f2c", o), "Current Account (1200)");
  assert.equal(valueName('tax_rate_map["20.00"]', "GB_STANDARD", o), "Standard 20%");
  assert.equal(valueName("default_bank_account_id", "BA_CLOSED", o), "BA_CLOSED");
  assert.equal(valueName("sync_products", true, o), "true");
  assert.equal(valueName("sync_since", null, o), "—");
});

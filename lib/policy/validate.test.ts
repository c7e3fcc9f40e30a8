import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReferenceItems } from "@/lib/sage/reference-data";
import { mapEntryKey } from "./field-errors";
import { defaultPolicy, type PolicyInput } from "./schema";
import { TIER_FEATURES } from "./tiers";
import { NO_SAGE_FORM_ERROR, validatePolicy, type ValidationContext } from "./validate";

const REF: ReferenceItems = {
  tax_rates: [
    { id: "GB_STANDARD", label: "Standard", percentage: 20 },
    { id: "GB_LOWER", label: "Lower", percentage: 5 },
    { id: "GB_ZERO", label: "Zero", percentage: 0 },
  ],
  sales_ledger_accounts: [{ id: "LA_4000", label: "4000 Sales", nominalCode: 4000 }],
  expense_ledger_accounts: [{ id: "LA_5000", label: "5000 Cost of sales", nominalCode: 5000 }],
  bank_accounts: [{ id: "BA_CURRENT", label: "Current", nominalCode: 1200, currency: "GBP", ledgerAccountId: null }],
  currencies: [{ id: "GBP", label: "Pound Sterling" }],
};

const ctx = (over: Partial<ValidationContext> = {}): ValidationContext => ({
  reference: REF,
  paymentMethodCodes: ["checkmo", "stripe_payments"],
  planTier: "scale",
  ...over,
});

/** A valid policy to start from: the defaults plus the two mappings every save needs. */
const base = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  ...(defaultPolicy() as PolicyInput),
  default_tax_rate_id: "GB_STANDARD",
  default_ledger_account_id: "LA_4000",
  ...over,
});

function errors(input: unknown, c: ValidationContext = ctx()) {
  const r = validatePolicy(input, c);
  assert.equal(r.ok, false, "expected validation to fail");
  return r.ok ? {} : r.fields;
}

test("a complete policy passes and comes back parsed", () => {
  const r = validatePolicy(base({ tax_rate_map: { " 20 ": "GB_STANDARD" } }), ctx());
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.policy.tax_rate_map, { "20.00": "GB_STANDARD" });
});

describe("Sync Behaviour card", () => {
  test("sync_since must be a date-time: invalid_format", () => {
    assert.equal(errors(base({ sync_since: "31/01/2026" })).sync_since.code, "invalid_format");
  });
  test("website and store filters take ids: invalid_type on the list", () => {
    const f = errors(base({ website_filter: [1, "two" as unknown as number] }));
    assert.equal(f.website_filter.code, "invalid_type");
    // Issue 17: say what it takes, not "wrong type".
    assert.equal(f.website_filter.message, "List Magento website ids as whole numbers, e.g. 1, 2.");
  });
  test("a wrongly typed value says what the setting takes (issue 17)", () => {
    const f = errors(base({ sync_products: "yes" as unknown as boolean }));
    assert.equal(f.sync_products.message, "Choose on or off.");
    for (const e of Object.values(f)) assert.doesNotMatch(e.message, /wrong type/);
  });
  test("sync_stock requires sync_products", () => {
    const f = errors(base({ sync_stock: true, sync_products: false }));
    assert.equal(f.sync_stock.code, "required");
    assert.match(f.sync_stock.message, /product sync/);
  });
  test("tier_limit_exceeded: products on trial/starter, stock below scale", () => {
    for (const tier of ["trial", "starter"] as const) {
      const f = errors(base({ sync_products: true, default_purchase_ledger_account_id: "LA_5000" }), ctx({ planTier: tier }));
      assert.equal(f.sync_products.code, "tier_limit_exceeded", tier);
      assert.match(f.sync_products.message, /Growth plan/);
    }
    const growth = errors(
      base({ sync_products: true, sync_stock: true, default_purchase_ledger_account_id: "LA_5000" }),
      ctx({ planTier: "growth" }),
    );
    assert.equal(growth.sync_stock.code, "tier_limit_exceeded");
    assert.equal(growth.sync_products, undefined, "growth includes products");
    assert.equal(
      validatePolicy(
        base({ sync_products: true, sync_stock: true, default_purchase_ledger_account_id: "LA_5000" }),
        ctx({ planTier: "scale" }),
      ).ok,
      true,
    );
    assert.equal(
      growth.sync_stock.message,
      "Stock sync is included from the Scale plan; this workspace is on Growth. See Plan to change it.",
    );
  });
  test("with plan gating switched off (self-hosted), every plan may use every feature", () => {
    const everything = base({ sync_products: true, sync_stock: true, default_purchase_ledger_account_id: "LA_5000" });
    assert.equal(validatePolicy(everything, ctx({ planTier: "trial", planGating: false })).ok, true);
    assert.equal(validatePolicy(everything, ctx({ planTier: "trial" })).ok, false, "gating is on unless switched off");
  });
  test("the tier matrix is the documented one", () => {
    assert.deepEqual(TIER_FEATURES, {
      trial: { products: false, stock: false },
      starter: { products: false, stock: false },
      growth: { products: true, stock: false },
      scale: { products: true, stock: true },
      enterprise: { products: true, stock: true },
    });
  });
});

describe("Default Mappings card", () => {
  test("the default tax rate and sales account are required", () => {
    const f = errors(base({ default_tax_rate_id: null, default_ledger_account_id: null }));
    assert.equal(f.default_tax_rate_id.code, "required");
    assert.equal(f.default_ledger_account_id.code, "required");
  });
  test("the purchase account is required while products sync", () => {
    assert.equal(errors(base({ sync_products: true })).default_purchase_ledger_account_id.code, "required");
  });
  test("ids must be in their own reference list: not_in_reference", () => {
    const f = errors(
      base({
        default_tax_rate_id: "GB_GONE",
        // a sales account is not an expense account and vice versa
        default_ledger_account_id: "LA_5000",
        default_purchase_ledger_account_id: "LA_4000",
        default_bank_account_id: "BA_DELETED",
      }),
    );
    for (const k of ["default_tax_rate_id", "default_ledger_account_id", "default_purchase_ledger_account_id", "default_bank_account_id"]) {
      assert.equal(f[k]?.code, "not_in_reference", k);
    }
  });
  test("without Sage reference data nothing can be saved", () => {
    const r = validatePolicy(base(), ctx({ reference: null }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.formError, NO_SAGE_FORM_ERROR);
  });
});

describe("Payment Method Map card", () => {
  test("a method Magento does not have is not_in_reference; a bank id not in Sage too", () => {
    const f = errors(base({ payment_method_map: { paypal_express: "BA_CURRENT", stripe_payments: "BA_NOPE", checkmo: null } }));
    assert.equal(f[mapEntryKey("payment_method_map", "paypal_express")].code, "not_in_reference");
    assert.equal(f[mapEntryKey("payment_method_map", "stripe_payments")].code, "not_in_reference");
    assert.equal(f[mapEntryKey("payment_method_map", "checkmo")], undefined, "null means never auto-pay");
  });
  test("when the live list is unavailable, typed codes are checked for format only", () => {
    const c = ctx({ paymentMethodCodes: null });
    assert.equal(validatePolicy(base({ payment_method_map: { paypal_express: "BA_CURRENT" } }), c).ok, true);
    assert.equal(
      errors(base({ payment_method_map: { "pay pal": "BA_CURRENT" } }), c)[mapEntryKey("payment_method_map", "pay pal")].code,
      "invalid_format",
    );
  });
});

describe("Tax Rate Routing card", () => {
  test("keys must be percentages: invalid_format", () => {
    const f = errors(base({ tax_rate_map: { twenty: "GB_STANDARD", "-5": "GB_LOWER" } }));
    assert.equal(f[mapEntryKey("tax_rate_map", "twenty")].code, "invalid_format");
    assert.equal(f[mapEntryKey("tax_rate_map", "-5")].code, "invalid_format");
  });
  test("two rows for one percentage are refused", () => {
    const f = errors(base({ tax_rate_map: { "20": "GB_STANDARD", "20.0": "GB_LOWER" } }));
    assert.equal(f[mapEntryKey("tax_rate_map", "20.0")].code, "invalid_format");
  });
  test("rates must be in Sage: not_in_reference under the canonical key", () => {
    assert.equal(
      errors(base({ tax_rate_map: { "17.5": "GB_OLD_STANDARD" } }))[mapEntryKey("tax_rate_map", "17.50")].code,
      "not_in_reference",
    );
  });
});

describe("Commercial card", () => {
  test("prefix: at most 6 characters, and safe characters only", () => {
    assert.equal(errors(base({ invoice_number_prefix: "MAGENTO-" })).invoice_number_prefix.code, "too_long");
    assert.equal(errors(base({ invoice_number_prefix: "M G" })).invoice_number_prefix.code, "invalid_format");
  });
  test("name priority is Company or Person: out_of_range", () => {
    assert.equal(errors(base({ customer_name_priority: "Nickname" as "Company" })).customer_name_priority.code, "out_of_range");
  });
});

describe("Multi-currency card", () => {
  test("GOODS or SERVICES only, for the default and per product type", () => {
    const f = errors(
      base({ default_eu_goods_services_type: "BOTH" as "GOODS", product_type_eu_goods_map: { simple: "WARES" as "GOODS" } }),
    );
    assert.equal(f.default_eu_goods_services_type.code, "out_of_range");
    assert.equal(f[mapEntryKey("product_type_eu_goods_map", "simple")].code, "out_of_range");
  });
  test("product type keys are Magento type ids", () => {
    assert.equal(
      errors(base({ product_type_eu_goods_map: { "Gift Card": "SERVICES" } }))[mapEntryKey("product_type_eu_goods_map", "Gift Card")].code,
      "invalid_format",
    );
  });
});

describe("B2C Consolidation card", () => {
  const b2c = (over: Record<string, unknown>) =>
    base({ b2c_consolidation: { ...defaultPolicy().b2c_consolidation, enabled: true, ...over } });
  test("the reference is at most 9 characters (Sage's 10 minus the currency letter)", () => {
    const f = errors(b2c({ fallback_contact_reference: "WEBSALES-UK" }));
    assert.equal(f["b2c_consolidation.fallback_contact_reference"].code, "too_long");
    assert.match(f["b2c_consolidation.fallback_contact_reference"].message, /At most 9 characters/);
  });
  test("name, email and reference are required when enabled, not when disabled", () => {
    const f = errors(b2c({ fallback_contact_name: " ", fallback_contact_email: "", fallback_contact_reference: "" }));
    assert.equal(f["b2c_consolidation.fallback_contact_name"].code, "required");
    assert.equal(f["b2c_consolidation.fallback_contact_email"].code, "required");
    assert.equal(f["b2c_consolidation.fallback_contact_reference"].code, "required");
    const off = base({
      b2c_consolidation: { ...defaultPolicy().b2c_consolidation, enabled: false, fallback_contact_name: "", fallback_contact_email: "" },
    });
    assert.equal(validatePolicy(off, ctx()).ok, true);
  });
  test("the email must be an email: invalid_format", () => {
    assert.equal(
      errors(b2c({ fallback_contact_email: "sales-at-shop" }))["b2c_consolidation.fallback_contact_email"].code,
      "invalid_format",
    );
  });
  test("the threshold cannot be negative: out_of_range", () => {
    assert.equal(errors(b2c({ min_total_for_individual: -1 }))["b2c_consolidation.min_total_for_individual"].code, "out_of_range");
  });
});

test("one save reports shape errors and reference errors together", () => {
  const f = errors(
    base({
      default_bank_account_id: "BA_CLOSED",
      b2c_consolidation: { ...defaultPolicy().b2c_consolidation, enabled: true, fallback_contact_reference: "WEBSALESUK" },
    }),
  );
  assert.equal(f["b2c_consolidation.fallback_contact_reference"].code, "too_long");
  assert.equal(f.default_bank_account_id.code, "not_in_reference");
  assert.equal(Object.keys(f).length, 2);
});

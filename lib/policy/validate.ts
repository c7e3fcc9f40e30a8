import { z } from "zod";
import type { ReferenceItems } from "@/lib/sage/reference-data";
import type { PlanTier } from "@/src/generated/prisma/enums";
import { mapEntryKey, POLICY_ERROR_MEANING, type PolicyErrorCode, type PolicyFieldErrors } from "./field-errors";
import { canonicalTaxKey, policySchema, type Policy } from "./schema";
import { lowestTierWith, TIER_FEATURES, TIER_LABEL } from "./tiers";

/**
 * Server-side validation of a submitted policy before it is saved (product-spec §1.3): the zod shape
 * first, then the rules zod cannot know — ids must exist in the binding's cached Sage reference data,
 * features must be in the workspace's plan, and fields that other settings make required.
 */

export interface ValidationContext {
  /** The binding's cached Sage reference data; null when Sage is not connected (nothing can be checked). */
  reference: ReferenceItems | null;
  /** Magento's live payment method codes; null when the store could not be asked (codes are then free text). */
  paymentMethodCodes: string[] | null;
  /** The workspace's plan. */
  planTier: PlanTier;
  /** false on an install that switched plan gating off (LEDGER_PLAN_GATING=false); default true. */
  planGating?: boolean;
}

export type ValidationResult = { ok: true; policy: Policy } | { ok: false; fields: PolicyFieldErrors; formError?: string };

const MAP_SETTINGS = new Set(["tax_rate_map", "payment_method_map", "product_type_eu_goods_map"]);
const METHOD_CODE = /^[A-Za-z0-9_-]{1,64}$/;
const PRODUCT_TYPE = /^[a-z0-9_]{1,64}$/;
const PREFIX = /^[A-Za-z0-9/_-]+$/;
const CONTACT_REFERENCE = /^[A-Za-z0-9_-]+$/;

export const NO_SAGE_FORM_ERROR =
  "Connect Sage before changing settings: the accounts, tax rates and bank accounts are picked from your Sage business.";

/** A zod issue path → the field key the form shows the error under. */
function fieldKey(path: readonly PropertyKey[]): string {
  const [head, next, ...rest] = path.map(String);
  if (head === undefined) return "_form";
  if (next === undefined) return head;
  if (MAP_SETTINGS.has(head)) return mapEntryKey(head, next);
  // Array elements (website_filter[3]) are reported on the list as a whole.
  if (/^\d+$/.test(next)) return head;
  return [head, next, ...rest].join(".");
}

function zodCode(issue: z.core.$ZodIssue): PolicyErrorCode {
  switch (issue.code) {
    case "too_big":
      return issue.origin === "string" ? "too_long" : "out_of_range";
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "required" : "out_of_range";
    case "invalid_value":
      return "out_of_range";
    case "invalid_format":
      return "invalid_format";
    case "custom":
      return issue.params?.policyCode === "invalid_format" ? "invalid_format" : "invalid_type";
    default:
      return "invalid_type";
  }
}

function zodMessage(issue: z.core.$ZodIssue, code: PolicyErrorCode): string {
  if (issue.code === "too_big" && issue.origin === "string") {
    const why = issue.path.at(-1) === "fallback_contact_reference" ? " Sage allows 10 and Ledger adds a currency letter (WEBSALESE)." : "";
    return `At most ${String(issue.maximum)} characters.${why}`;
  }
  if (issue.code === "too_small" && code === "out_of_range") return `Must be at least ${String(issue.minimum)}.`;
  if (issue.code === "invalid_value") return `Must be one of: ${issue.values.map(String).join(", ")}.`;
  if (issue.code === "invalid_format" && issue.format === "datetime") return "Use a date and time such as 2026-01-31T00:00:00Z.";
  if (code === "invalid_format" && issue.path[0] === "tax_rate_map") return "Use a percentage between 0 and 100, e.g. 20 or 5.00.";
  if (code === "invalid_type") return typeMessage(issue);
  return POLICY_ERROR_MEANING[code];
}

/** Say what the setting takes, never "wrong type" (issue 17): the form's controls make most of these impossible anyway. */
function typeMessage(issue: z.core.$ZodIssue): string {
  const head = String(issue.path[0] ?? "");
  if (head === "website_filter") return "List Magento website ids as whole numbers, e.g. 1, 2.";
  if (head === "store_filter") return "List Magento store view ids as whole numbers, e.g. 1, 2.";
  const expected = issue.code === "invalid_type" ? issue.expected : null;
  if (expected === "number" || expected === "int") return "Enter a number, e.g. 0 or 25.50.";
  if (expected === "boolean") return "Choose on or off.";
  if (expected === "string") return "Enter text here.";
  if (expected === "object" || expected === "record") return "Pick an entry for each row.";
  return POLICY_ERROR_MEANING.invalid_type;
}

/** A copy of `raw` without the values at `paths` (the first two segments: a setting, or one entry of it). */
function withoutPaths(raw: unknown, paths: readonly (readonly PropertyKey[])[]): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [head, next] of paths) {
    if (head === undefined) continue;
    const key = String(head);
    const inner = copy[key];
    if (next !== undefined && typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      const trimmed = { ...(inner as Record<string, unknown>) };
      delete trimmed[String(next)];
      copy[key] = trimmed;
    } else delete copy[key];
  }
  return copy;
}

class Collector {
  readonly fields: PolicyFieldErrors = {};
  add(key: string, code: PolicyErrorCode, message: string = POLICY_ERROR_MEANING[code]): void {
    // The first problem of a field is the one to fix first; later ones would only repeat it.
    this.fields[key] ??= { code, message };
  }
  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }
}

/** Two rows such as "20" and "20.0" would silently collapse into one key; say so instead. */
function duplicateTaxKeys(raw: unknown, out: Collector): void {
  const map = z.object({ tax_rate_map: z.record(z.string(), z.unknown()) }).safeParse(raw);
  if (!map.success) return;
  const seen = new Set<string>();
  for (const key of Object.keys(map.data.tax_rate_map)) {
    const canonical = canonicalTaxKey(key);
    if (canonical === null) continue;
    if (seen.has(canonical)) out.add(mapEntryKey("tax_rate_map", key), "invalid_format", `${canonical}% is mapped twice; keep one row.`);
    seen.add(canonical);
  }
}

function checkReferences(p: Policy, ref: ReferenceItems, out: Collector): void {
  const ids = (list: { id: string }[]) => new Set(list.map((i) => i.id));
  const taxRates = ids(ref.tax_rates);
  const sales = ids(ref.sales_ledger_accounts);
  const expenses = ids(ref.expense_ledger_accounts);
  const banks = ids(ref.bank_accounts);
  const check = (key: string, value: string | null, known: Set<string>) => {
    if (value !== null && !known.has(value)) out.add(key, "not_in_reference");
  };
  check("default_tax_rate_id", p.default_tax_rate_id, taxRates);
  check("default_ledger_account_id", p.default_ledger_account_id, sales);
  check("default_bank_account_id", p.default_bank_account_id, banks);
  check("default_purchase_ledger_account_id", p.default_purchase_ledger_account_id, expenses);
  for (const [pct, rateId] of Object.entries(p.tax_rate_map)) check(mapEntryKey("tax_rate_map", pct), rateId, taxRates);
  for (const [method, bankId] of Object.entries(p.payment_method_map)) check(mapEntryKey("payment_method_map", method), bankId, banks);
}

function checkPaymentMethodCodes(p: Policy, liveCodes: string[] | null, out: Collector): void {
  const live = liveCodes ? new Set(liveCodes) : null;
  for (const method of Object.keys(p.payment_method_map)) {
    const key = mapEntryKey("payment_method_map", method);
    if (!METHOD_CODE.test(method)) out.add(key, "invalid_format", "A Magento payment method code: letters, digits, _ and - only.");
    else if (live && !live.has(method)) {
      out.add(key, "not_in_reference", `Magento has no payment method "${method}" — remove the row or check the code.`);
    }
  }
}

/** "Product sync is included from the Growth plan; this workspace is on Trial." — the plan that unlocks it, never a bare code. */
export function tierLimitMessage(feature: "products" | "stock", tier: PlanTier): string {
  const what = feature === "products" ? "Product sync" : "Stock sync";
  return `${what} is included from the ${TIER_LABEL[lowestTierWith(feature)]} plan; this workspace is on ${TIER_LABEL[tier]}. See Plan to change it.`;
}

function checkTier(p: Policy, tier: PlanTier, gating: boolean, out: Collector): void {
  if (!gating) return;
  const features = TIER_FEATURES[tier];
  if (p.sync_products && !features.products) out.add("sync_products", "tier_limit_exceeded", tierLimitMessage("products", tier));
  if (p.sync_stock && !features.stock) out.add("sync_stock", "tier_limit_exceeded", tierLimitMessage("stock", tier));
}

function checkRequired(p: Policy, out: Collector): void {
  if (!p.default_tax_rate_id)
    out.add("default_tax_rate_id", "required", "Pick the tax rate for lines whose rate is not in the tax-rate map.");
  if (!p.default_ledger_account_id) out.add("default_ledger_account_id", "required", "Pick the sales account invoice lines are posted to.");
  if (p.sync_products && !p.default_purchase_ledger_account_id) {
    out.add(
      "default_purchase_ledger_account_id",
      "required",
      "Required while product sync is on: Sage needs a purchase account on every product.",
    );
  }
  if (p.sync_stock && !p.sync_products) out.add("sync_stock", "required", "Stock sync needs product sync turned on.");
}

function checkFormats(p: Policy, out: Collector): void {
  if (p.invoice_number_prefix !== null && !PREFIX.test(p.invoice_number_prefix)) {
    out.add("invoice_number_prefix", "invalid_format", "Letters, digits, -, _ and / only.");
  }
  for (const type of Object.keys(p.product_type_eu_goods_map)) {
    if (!PRODUCT_TYPE.test(type)) {
      out.add(
        mapEntryKey("product_type_eu_goods_map", type),
        "invalid_format",
        "A Magento product type id: lower-case letters, digits and _.",
      );
    }
  }
}

function checkB2c(p: Policy, out: Collector): void {
  const b = p.b2c_consolidation;
  if (!b.enabled) return;
  const key = (k: string) => `b2c_consolidation.${k}`;
  if (!b.fallback_contact_name) out.add(key("fallback_contact_name"), "required", "Required while consolidation is on.");
  if (!b.fallback_contact_email)
    out.add(key("fallback_contact_email"), "required", "Required while consolidation is on: Sage needs a contact email.");
  else if (!z.email().safeParse(b.fallback_contact_email).success)
    out.add(key("fallback_contact_email"), "invalid_format", "Enter a valid email address.");
  if (!b.fallback_contact_reference) out.add(key("fallback_contact_reference"), "required", "Required while consolidation is on.");
  else if (!CONTACT_REFERENCE.test(b.fallback_contact_reference)) {
    out.add(key("fallback_contact_reference"), "invalid_format", "Letters, digits, - and _ only.");
  }
}

export function validatePolicy(raw: unknown, ctx: ValidationContext): ValidationResult {
  const out = new Collector();
  duplicateTaxKeys(raw, out);
  const parsed = policySchema.safeParse(raw ?? {});
  let p: Policy;
  if (parsed.success) p = parsed.data;
  else {
    for (const issue of parsed.error.issues) {
      const code = zodCode(issue);
      out.add(fieldKey(issue.path), code, zodMessage(issue, code));
    }
    // Check the rest too, so one Save shows every problem: drop the malformed values and read again.
    const rest = policySchema.safeParse(
      withoutPaths(
        raw,
        parsed.error.issues.map((i) => i.path),
      ),
    );
    if (!rest.success) return { ok: false, fields: out.fields };
    p = rest.data;
  }
  checkRequired(p, out);
  checkTier(p, ctx.planTier, ctx.planGating ?? true, out);
  checkFormats(p, out);
  checkB2c(p, out);
  checkPaymentMethodCodes(p, ctx.paymentMethodCodes, out);
  if (ctx.reference) checkReferences(p, ctx.reference, out);
  if (!ctx.reference) return { ok: false, fields: out.fields, formError: NO_SAGE_FORM_ERROR };
  return out.empty && parsed.success ? { ok: true, policy: p } : { ok: false, fields: out.fields };
}

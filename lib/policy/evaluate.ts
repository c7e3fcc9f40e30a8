import type { CreditMemo, Contact, Invoice, Product } from "@/lib/magento/canonical";
import type { Policy } from "./schema";

/**
 * Sync policy as pure functions of (canonical entity, policy snapshot taken at intake). Each returns
 * `proceed` or a skip with its reason code (decisions D3). Gates run in the documented priority:
 * unpaid → zero-value → sync_since → website/store → products → stock (product-spec §1.3), with the
 * payment-method map as the last gate for payments.
 */

export const SKIP_REASONS = [
  "unpaid_invoice",
  "zero_value_invoice",
  "outside_sync_since",
  "website_filtered",
  "store_filtered",
  "products_sync_disabled",
  "stock_sync_disabled",
  "product_type_not_supported",
  "payment_method_not_mapped",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type Skip = { action: "skip"; reason: SkipReason };
export type Decision = { action: "proceed" } | Skip;
const PROCEED: Decision = { action: "proceed" };
const skip = (reason: SkipReason): Skip => ({ action: "skip", reason });

/** Where the event came from: the webhook envelope's ids (credit memos carry no store_id themselves). */
export interface Origin {
  websiteId: number;
  storeId: number;
}

function beforeSyncSince(createdAt: string | undefined, policy: Policy): boolean {
  if (!policy.sync_since || !createdAt) return false;
  const t = Date.parse(createdAt);
  return Number.isFinite(t) && t < Date.parse(policy.sync_since);
}

function scopeGate(websiteIds: number[], storeId: number | undefined, policy: Policy): Skip | null {
  if (policy.website_filter.length && !websiteIds.some((w) => policy.website_filter.includes(w))) return skip("website_filtered");
  if (policy.store_filter.length && storeId !== undefined && !policy.store_filter.includes(storeId)) return skip("store_filtered");
  return null;
}

/** The invoice gates shared by invoice.created and invoice.paid (a payment follows its invoice's fate). */
function invoiceGates(inv: Invoice, policy: Policy, checkUnpaid: boolean): Skip | null {
  if (checkUnpaid && !policy.sync_unpaid_invoices && inv.state !== "paid") return skip("unpaid_invoice");
  if (!policy.sync_zero_value_invoices && Math.round(inv.grand_total * 100) === 0) return skip("zero_value_invoice");
  if (beforeSyncSince(inv.created_at, policy)) return skip("outside_sync_since");
  return scopeGate([inv.website_id], inv.store_id, policy);
}

export function evaluateInvoice(inv: Invoice, policy: Policy): Decision {
  return invoiceGates(inv, policy, true) ?? PROCEED;
}

export type PaymentDecision = { action: "proceed"; bankAccountId: string } | Skip;

/**
 * invoice.paid: the invoice gates (except "unpaid": it is paid now), then the payment-method map:
 * mapped → that account; mapped to None → skip; unmapped → the default bank account, else skip.
 */
export function evaluatePayment(inv: Invoice, method: string, policy: Policy): PaymentDecision {
  const gate = invoiceGates(inv, policy, false);
  if (gate) return gate;
  const map = policy.payment_method_map;
  if (Object.prototype.hasOwnProperty.call(map, method)) {
    const account = map[method];
    return account ? { action: "proceed", bankAccountId: account } : skip("payment_method_not_mapped");
  }
  return policy.default_bank_account_id
    ? { action: "proceed", bankAccountId: policy.default_bank_account_id }
    : skip("payment_method_not_mapped");
}

export function evaluateCreditMemo(memo: CreditMemo, origin: Origin, policy: Policy): Decision {
  if (beforeSyncSince(memo.created_at, policy)) return skip("outside_sync_since");
  return scopeGate([memo.website_id], origin.storeId || undefined, policy) ?? PROCEED;
}

export function evaluateCustomer(c: Contact, policy: Policy): Decision {
  // Customers belong to a website, not a store view: only the website filter applies.
  return scopeGate([c.website_id], undefined, policy) ?? PROCEED;
}

export const UNSUPPORTED_PRODUCT_TYPES = new Set(["configurable", "bundle", "grouped"]);

export type ProductRoute = "product" | "service" | "stock_item";
export type ProductDecision = { action: "proceed"; route: ProductRoute } | Skip;

/**
 * product.upserted: simple → product (stock item when stock is managed and sync_stock is on),
 * virtual/downloadable → service; composites are skipped (their child simples sync on their own).
 */
export function evaluateProduct(p: Product, policy: Policy): ProductDecision {
  if (!policy.sync_products) return skip("products_sync_disabled");
  if (UNSUPPORTED_PRODUCT_TYPES.has(p.product_type)) return skip("product_type_not_supported");
  const scope = scopeGate(p.website_ids, undefined, policy);
  if (scope) return scope;
  if (p.product_type === "virtual" || p.product_type === "downloadable") return { action: "proceed", route: "service" };
  if (p.product_type !== "simple") return skip("product_type_not_supported");
  return { action: "proceed", route: p.manage_stock && policy.sync_stock ? "stock_item" : "product" };
}

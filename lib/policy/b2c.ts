import type { Contact } from "@/lib/magento/canonical";
import type { Policy } from "./schema";

export type ContactTarget = "individual" | "fallback";

/**
 * B2C consolidation (product-spec §1.11); the first matching rule wins:
 * disabled → individual; a company with always_individual_for_b2b → individual; a repeat customer
 * (already has a Sage contact in this currency) → individual; total at or above the threshold (0 = off)
 * → individual; otherwise the binding's fallback contact. Credit notes never come here: they follow
 * their invoice's contact (D5).
 *
 * A registered customer (Magento id > 0) counts as a repeat customer: customer.upserted gives every
 * account its own contact, so consolidating its first invoice would depend only on which event Magento
 * happened to deliver first. Consolidation is for guest checkouts.
 */
export function consolidationTarget(
  customer: Pick<Contact, "company" | "magento_id">,
  grandTotal: number,
  hasContactInCurrency: boolean,
  b2c: Policy["b2c_consolidation"],
): ContactTarget {
  if (!b2c.enabled) return "individual";
  if (b2c.always_individual_for_b2b && customer.company?.trim()) return "individual";
  if (hasContactInCurrency || customer.magento_id > 0) return "individual";
  if (b2c.min_total_for_individual > 0 && grandTotal >= b2c.min_total_for_individual) return "individual";
  return "fallback";
}

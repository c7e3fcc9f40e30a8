import { createHash } from "node:crypto";
import type { Address, Contact } from "@/lib/magento/canonical";
import type { Policy } from "@/lib/policy/schema";
import type { ContactCreateInput } from "@/lib/sage/schemas";
import { contactAddress, sageAddress } from "./address";
import { clip, decodeEntities } from "./text";

/**
 * Sage contacts for Magento customers (product-spec §3.5, §1.10, §1.11; decisions D6).
 *
 * Sage locks a contact to one currency, so a customer gets one contact per currency. References are
 * capped at 10 characters: `M{id}` for registered customers, `G` + 9 hex of sha256(email) for guests;
 * a contact in a non-base currency appends the currency's initial (`M5E`, `M5U`) — guests then keep 8
 * hex so the suffix fits — and its name gets a " (EUR)" suffix.
 */

export function currencySuffix(currency: string, baseCurrency: string): string {
  return currency.toUpperCase() === baseCurrency.toUpperCase() ? "" : currency.toUpperCase()[0];
}

export function guestKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** The xref key of a Magento customer: its id, or the guest's email hash (Magento id 0 = guest). */
export function customerXrefKey(c: Contact): string {
  return c.magento_id > 0 ? String(c.magento_id) : `guest:${guestKey(c.email).slice(0, 16)}`;
}

export function contactReference(c: Contact, currency: string, baseCurrency: string): string {
  const suffix = currencySuffix(currency, baseCurrency);
  if (c.magento_id > 0) return `M${c.magento_id}${suffix}`;
  return `G${guestKey(c.email).slice(0, suffix ? 8 : 9)}${suffix}`;
}

export function personName(c: Pick<Contact, "first_name" | "last_name">): string | undefined {
  const n = [c.first_name, c.last_name]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(" ");
  return n || undefined;
}

function withCurrency(name: string, currency: string, baseCurrency: string): string {
  const suffix = currencySuffix(currency, baseCurrency) ? ` (${currency.toUpperCase()})` : "";
  return clip(name, 100 - suffix.length) + suffix;
}

export interface ContactContext {
  currency: string;
  baseCurrency: string;
  policy: Pick<Policy, "customer_name_priority">;
  billing?: Address;
  shipping?: Address;
}

/** A Magento customer (or guest) → Sage contact in one currency. */
export function contactPayload(c: Contact, ctx: ContactContext): ContactCreateInput {
  const person = personName(c);
  const company = c.company?.trim() || undefined;
  const priority = ctx.policy.customer_name_priority;
  const name = decodeEntities((priority === "Company" ? (company ?? person) : (person ?? company)) ?? c.email);
  const billing = sageAddress(ctx.billing ?? contactAddress(c, "billing") ?? c.addresses[0]);
  const shipping = sageAddress(ctx.shipping ?? contactAddress(c, "shipping"));
  const mainAddress = billing && priority === "Person" && company ? { ...billing, name: clip(company, 50) } : billing;
  const contactPersonName = priority === "Company" && company ? person : (person ?? undefined);
  return {
    name: withCurrency(name, ctx.currency, ctx.baseCurrency),
    contact_type_ids: ["CUSTOMER"],
    reference: contactReference(c, ctx.currency, ctx.baseCurrency),
    currency_id: ctx.currency.toUpperCase(),
    ...(mainAddress ? { main_address: mainAddress } : {}),
    ...(shipping ? { delivery_address: shipping } : {}),
    main_contact_person: {
      ...(contactPersonName ? { name: clip(contactPersonName, 50) } : {}),
      email: clip(c.email, 100),
      ...(c.phone ? { telephone: clip(c.phone, 50) } : {}),
      is_main_contact: true,
    },
  };
}

/** The binding's B2C fallback contact in one currency (product-spec §1.11): no address, just a name. */
export function fallbackContactPayload(b2c: Policy["b2c_consolidation"], currency: string, baseCurrency: string): ContactCreateInput {
  return {
    name: withCurrency(b2c.fallback_contact_name, currency, baseCurrency),
    contact_type_ids: ["CUSTOMER"],
    reference: `${b2c.fallback_contact_reference}${currencySuffix(currency, baseCurrency)}`,
    currency_id: currency.toUpperCase(),
    main_contact_person: { name: clip(b2c.fallback_contact_name, 50), email: clip(b2c.fallback_contact_email, 100), is_main_contact: true },
  };
}

import type { Address, Contact } from "@/lib/magento/canonical";
import { clip } from "./text";

export interface SageAddress {
  address_line_1?: string;
  address_line_2?: string;
  city?: string;
  postal_code?: string;
  region?: string;
  country_id?: string;
}

/** Magento address → Sage address, within Sage's contact-address limits (50/50/50/10/50). */
export function sageAddress(a: Address | undefined): SageAddress | undefined {
  if (!a) return undefined;
  const out: SageAddress = {
    address_line_1: a.street[0] ? clip(a.street[0], 50) : undefined,
    address_line_2: a.street.length > 1 ? clip(a.street.slice(1).join(", "), 50) : undefined,
    city: a.city ? clip(a.city, 50) : undefined,
    postal_code: a.postcode ? clip(a.postcode, 10) : undefined,
    region: a.region ? clip(a.region, 50) : undefined,
    country_id: a.country_id ? a.country_id.toUpperCase() : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as SageAddress;
}

export function contactAddress(c: Contact, kind: "billing" | "shipping"): Address | undefined {
  return c.addresses.find((a) => a.kind === kind);
}

/** The document's billing country: the order's billing address, else the customer's. */
export function billingCountry(billing: Address | undefined, customer: Contact): string | undefined {
  return (billing ?? contactAddress(customer, "billing") ?? customer.addresses[0])?.country_id?.toUpperCase();
}

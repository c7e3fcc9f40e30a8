import { z } from "zod";
import { baseRef, currencyId, optBool, optMoney, optRef, optString, recordIdentity, sageId } from "./common";

/**
 * Contacts (`POST|PUT /contacts`, root `contact`). Field set per decisions D6: the Swagger's names,
 * not product-spec §1.3 — there is no `first_name`, `last_name`, `main_address.company` or
 * `currency_tax_amount`, and the strict objects make sending one of them fail before any Sage call.
 * Max lengths are the 2025 Swagger's (`Contact`, `Address`, `ContactPerson`).
 */

export const CONTACT_TYPE_IDS = ["CUSTOMER", "VENDOR"] as const;

export const contactAddressInput = z.strictObject({
  address_line_1: z.string().max(50).optional(),
  address_line_2: z.string().max(50).optional(),
  city: z.string().max(50).optional(),
  postal_code: z.string().max(10).optional(),
  region: z.string().max(50).optional(),
  country_id: z.string().min(2).max(2).optional(),
  /** With `customer_name_priority = Person`, the company name goes here (D6). */
  name: z.string().max(50).optional(),
  address_type_id: sageId.optional(),
  is_main_address: z.boolean().optional(),
});

export const contactPersonInput = z.strictObject({
  name: z.string().max(50).optional(),
  email: z.string().max(100).optional(),
  telephone: z.string().max(50).optional(),
  mobile: z.string().max(50).optional(),
  contact_person_type_ids: z.array(sageId).optional(),
  is_main_contact: z.boolean().optional(),
});

const contactFields = {
  name: z.string().min(1).max(100),
  contact_type_ids: z.array(z.enum(CONTACT_TYPE_IDS)).min(1),
  /** Sage caps references at 10 characters (sage-api §4.1, product-spec §3.5 M/G scheme). */
  reference: z.string().min(1).max(10).optional(),
  currency_id: currencyId.optional(),
  default_sales_ledger_account_id: sageId.optional(),
  default_sales_tax_rate_id: sageId.optional(),
  tax_number: z.string().max(255).optional(),
  notes: z.string().max(4000).optional(),
  locale: z.string().max(10).optional(),
  source_guid: z.string().max(255).optional(),
  main_address: contactAddressInput.optional(),
  delivery_address: contactAddressInput.optional(),
  main_contact_person: contactPersonInput.optional(),
};

export const contactCreateInput = z.strictObject(contactFields);
export type ContactCreateInput = z.infer<typeof contactCreateInput>;

/** PUT has no required fields in the Swagger. */
export const contactUpdateInput = contactCreateInput.partial();
export type ContactUpdateInput = z.infer<typeof contactUpdateInput>;

const addressOut = z.looseObject({
  address_line_1: optString,
  address_line_2: optString,
  city: optString,
  postal_code: optString,
  region: optString,
  country: optRef,
  name: optString,
});

export const contactSchema = z.looseObject({
  ...recordIdentity,
  name: optString,
  reference: optString,
  contact_types: z.array(baseRef).nullish(),
  currency: optRef,
  balance: optMoney,
  email: optString,
  source_guid: optString,
  is_active: optBool,
  deleted_at: optString,
  main_address: addressOut.nullish(),
  delivery_address: addressOut.nullish(),
  main_contact_person: z.looseObject({ name: optString, email: optString, telephone: optString }).nullish(),
});
export type SageContact = z.infer<typeof contactSchema>;

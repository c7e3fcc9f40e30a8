import { z } from "zod";

/**
 * Request bodies the emulator accepts, field by field from Sage's 2025 Swagger (checked by
 * test/contract/sage-swagger.int.test.ts). Objects are strict: a field v3.1 does not have
 * (first_name, main_address.company, currency_tax_amount — decisions D6, product-spec §3.7) is a
 * 422, so a client that invents fields fails here instead of silently in production.
 * Max lengths come from the Swagger's response objects (sage-api §4: "assume the same limit on input").
 */

/** Sage accepts numbers, and clients also send decimal strings (sage-api §3.6). */
export const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const reqString = (max?: number) => (max ? z.string().min(1).max(max) : z.string().min(1));
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const idRef = z.string().min(1);
/** sage-api §3.9: a client-made 32-hex id; not in the Swagger, added by hand. */
export const idempotencyId = z.string().regex(/^[0-9a-fA-F]{32}$/);

const contactAddress = z.strictObject({
  address_line_1: z.string().max(50).optional(),
  address_line_2: z.string().max(50).optional(),
  city: z.string().max(50).optional(),
  postal_code: z.string().max(10).optional(),
  country_id: z.string().optional(),
  address_type_id: z.string().optional(),
  name: z.string().max(50).optional(),
  region: z.string().max(50).optional(),
  country_group_id: z.string().optional(),
  is_main_address: z.boolean().optional(),
});

const contactPerson = z.strictObject({
  contact_person_type_ids: z.array(z.string()).optional(),
  name: z.string().max(50).optional(),
  job_title: z.string().max(50).optional(),
  telephone: z.string().max(50).optional(),
  mobile: z.string().max(50).optional(),
  email: z.string().max(100).optional(),
  fax: z.string().max(50).optional(),
  is_main_contact: z.boolean().optional(),
  is_preferred_contact: z.boolean().optional(),
});

const contactFields = {
  name: reqString(100),
  contact_type_ids: z.array(z.enum(["CUSTOMER", "VENDOR"])).min(1),
  reference: z.string().max(10).optional(),
  default_sales_ledger_account_id: z.string().optional(),
  default_sales_tax_rate_id: z.string().optional(),
  default_purchase_ledger_account_id: z.string().optional(),
  tax_number: z.string().max(255).optional(),
  notes: z.string().max(4000).optional(),
  locale: z.string().max(10).optional(),
  credit_limit: decimal.optional(),
  credit_days: z.number().int().min(0).max(365).optional(),
  credit_terms: z
    .enum(["month_end_invoice", "date_from_invoice", "immediate_invoice", "month_end_payment", "date_from_payment", "immediate_payment"])
    .optional(),
  credit_terms_and_conditions: z.string().max(2000).optional(),
  source_guid: z.string().max(255).optional(),
  currency_id: z.string().optional(),
  aux_reference: z.string().max(4).optional(),
  registered_number: z.string().max(25).optional(),
  auxiliary_account: z.string().max(25).optional(),
  destination_vat_blocking: z.boolean().optional(),
  main_address: contactAddress.optional(),
  delivery_address: contactAddress.optional(),
  main_contact_person: contactPerson.optional(),
  bank_account_details: z
    .strictObject({
      account_name: z.string().optional(),
      account_number: z.string().optional(),
      sort_code: z.string().optional(),
      bic: z.string().optional(),
      iban: z.string().optional(),
    })
    .optional(),
  tax_treatment: z
    .strictObject({
      home_tax: z.boolean().optional(),
      eu_tax_registered: z.boolean().optional(),
      eu_not_tax_registered: z.boolean().optional(),
      rest_of_world_tax: z.boolean().optional(),
      is_importer: z.boolean().optional(),
    })
    .optional(),
  idempotency_id: idempotencyId.optional(),
};
export const contactInput = z.strictObject(contactFields);
export const contactUpdate = contactInput.partial();

const artefactAddress = z.strictObject({
  address_line_1: z.string().max(50).optional(),
  address_line_2: z.string().max(50).optional(),
  city: z.string().max(50).optional(),
  postal_code: z.string().max(10).optional(),
  country_id: z.string().optional(),
  address_type_id: z.string().optional(),
  region: z.string().max(50).optional(),
  country_group_id: z.string().optional(),
});

/**
 * Line object shared by invoices and credit notes. The Swagger lists base_currency_* siblings on
 * invoice lines, but Sage rejects them on POST (product-spec §3.7 §27), so they are not accepted.
 */
export const artefactLine = z.strictObject({
  description: reqString(),
  ledger_account_id: idRef,
  unit_price: decimal,
  quantity: decimal.optional(),
  product_id: z.string().optional(),
  service_id: z.string().optional(),
  trade_of_asset: z.boolean().optional(),
  net_amount: decimal.optional(),
  tax_rate_id: z.string().optional(),
  tax_amount: decimal.optional(),
  total_amount: decimal.optional(),
  unit_price_includes_tax: z.boolean().optional(),
  eu_goods_services_type_id: z.enum(["GOODS", "SERVICES"]).optional(),
  discount_amount: decimal.optional(),
  discount_percentage: decimal.optional(),
  eu_sales_description_id: z.string().optional(),
});
export type ArtefactLineInput = z.infer<typeof artefactLine>;

const artefactHeader = {
  contact_id: idRef,
  date,
  contact_name: z.string().max(255).optional(),
  contact_reference: z.string().max(255).optional(),
  reference: z.string().max(25).optional(),
  notes: z.string().max(2000).optional(),
  terms_and_conditions: z.string().max(2000).optional(),
  main_address: artefactAddress.optional(),
  delivery_address: artefactAddress.optional(),
  shipping_net_amount: decimal.optional(),
  shipping_tax_rate_id: z.string().optional(),
  shipping_tax_amount: decimal.optional(),
  shipping_total_amount: decimal.optional(),
  net_amount: decimal.optional(),
  tax_amount: decimal.optional(),
  total_amount: decimal.optional(),
  total_quantity: decimal.optional(),
  total_discount_amount: decimal.optional(),
  currency_id: z.string().optional(),
  exchange_rate: decimal.optional(),
  inverse_exchange_rate: decimal.optional(),
  status_id: z.string().optional(),
  sent: z.boolean().optional(),
  vat_reverse_charge: z.boolean().optional(),
  idempotency_id: idempotencyId.optional(),
};

export const salesInvoiceInput = z.strictObject({
  ...artefactHeader,
  due_date: date.optional(),
  invoice_number_prefix: z.string().max(6).optional(),
  invoice_lines: z.array(artefactLine).min(1),
});

export const salesCreditNoteInput = z.strictObject({
  ...artefactHeader,
  credit_note_number_prefix: z.string().max(6).optional(),
  original_invoice_date: date.optional(),
  credit_note_lines: z.array(artefactLine).min(1),
});

export const contactPaymentInput = z.strictObject({
  transaction_type_id: z.enum(["CUSTOMER_RECEIPT", "CUSTOMER_REFUND", "VENDOR_PAYMENT", "VENDOR_REFUND"]),
  contact_id: idRef,
  bank_account_id: idRef,
  date,
  total_amount: decimal,
  payment_method_id: z.string().optional(),
  net_amount: decimal.optional(),
  tax_amount: decimal.optional(),
  currency_id: z.string().optional(),
  exchange_rate: decimal.optional(),
  base_currency_currency_charge: decimal.optional(),
  reference: z.string().max(25).optional(),
  tax_rate_id: z.string().optional(),
  allocated_artefacts: z.array(z.strictObject({ artefact_id: idRef, amount: decimal, discount: decimal.optional() })).optional(),
  idempotency_id: idempotencyId.optional(),
});

export const contactAllocationInput = z.strictObject({
  transaction_type_id: z.enum(["CUSTOMER_ALLOCATION", "VENDOR_ALLOCATION"]),
  contact_id: idRef,
  date: date.optional(),
  allocated_artefacts: z.array(z.strictObject({ artefact_id: idRef, amount: decimal })).min(1),
  idempotency_id: idempotencyId.optional(),
});

const salesPrice = z.strictObject({
  price_name: z.string().optional(),
  price: decimal.optional(),
  price_includes_tax: z.boolean().optional(),
  product_sales_price_type_id: z.string().optional(),
});

const itemFields = {
  description: reqString(255),
  sales_ledger_account_id: idRef,
  purchase_ledger_account_id: idRef,
  item_code: z.string().max(255).optional(),
  notes: z.string().max(500).optional(),
  sales_tax_rate_id: z.string().optional(),
  purchase_tax_rate_id: z.string().optional(),
  usual_supplier_id: z.string().optional(),
  cost_price: decimal.optional(),
  source_guid: z.string().max(255).optional(),
  purchase_description: z.string().max(250).optional(),
  active: z.boolean().optional(),
  idempotency_id: idempotencyId.optional(),
};

export const productInput = z.strictObject({
  ...itemFields,
  catalog_item_type_id: z.string().optional(),
  sales_prices: z.array(salesPrice).optional(),
});
export const productUpdate = productInput.partial();

export const serviceInput = z.strictObject({
  ...itemFields,
  purchase_ledger_account_id: z.string().optional(),
  oss_service: z.boolean().optional(),
  sales_rates: z
    .array(
      z.strictObject({
        rate_name: z.string().optional(),
        rate: decimal.optional(),
        rate_includes_tax: z.boolean().optional(),
        service_rate_type_id: z.string().optional(),
      }),
    )
    .optional(),
});

export const stockItemInput = z.strictObject({
  ...itemFields,
  item_code: reqString(30),
  reorder_level: decimal.optional(),
  reorder_quantity: decimal.optional(),
  location: z.string().optional(),
  barcode: z.string().optional(),
  supplier_part_number: z.string().optional(),
  weight: decimal.optional(),
  measurement_unit: z.string().optional(),
  sales_prices: z.array(salesPrice).optional(),
});

export const stockMovementInput = z.strictObject({
  stock_item_id: idRef,
  date,
  quantity: decimal,
  cost_price: decimal,
  details: reqString(50),
  movement_number: z.string().max(4).optional(),
  reference: z.string().max(31).optional(),
  idempotency_id: idempotencyId.optional(),
});

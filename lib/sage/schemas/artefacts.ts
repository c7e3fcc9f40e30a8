import { z } from "zod";
import { currencyId, isoDate, moneyIn, optBool, optMoney, optRef, optString, recordIdentity, sageId } from "./common";

/**
 * Sales invoices and credit notes (`POST /sales_invoices` root `sales_invoice`,
 * `POST /sales_credit_notes` root `sales_credit_note`). Lines are `invoice_lines` /
 * `credit_note_lines` with the same shape; Sage reports their errors under `line_items.*`.
 * Shipping lives in the header's shipping panel, never as a line (product-spec §3.2).
 */

export const EU_GOODS_SERVICES_TYPE_IDS = ["GOODS", "SERVICES"] as const;

/** `SalesArtefactAddress`: unlike contact addresses it has no `name` and no documented limits. */
export const artefactAddressInput = z.strictObject({
  address_line_1: z.string().optional(),
  address_line_2: z.string().optional(),
  city: z.string().optional(),
  postal_code: z.string().optional(),
  region: z.string().optional(),
  country_id: z.string().min(2).max(2).optional(),
  address_type_id: sageId.optional(),
  country_group_id: sageId.optional(),
});

export const artefactLineInput = z.strictObject({
  description: z.string().min(1),
  ledger_account_id: sageId,
  unit_price: moneyIn,
  quantity: z.number().finite().optional(),
  product_id: sageId.optional(),
  service_id: sageId.optional(),
  tax_rate_id: sageId.optional(),
  /** Required by Sage v3.1 unless the rate is zero/exempt/no-tax; we always send Magento's line tax (D2). */
  tax_amount: moneyIn.optional(),
  net_amount: moneyIn.optional(),
  total_amount: moneyIn.optional(),
  unit_price_includes_tax: z.boolean().optional(),
  discount_amount: moneyIn.optional(),
  eu_goods_services_type_id: z.enum(EU_GOODS_SERVICES_TYPE_IDS).optional(),
});
export type ArtefactLineInput = z.infer<typeof artefactLineInput>;

/** Header fields shared by both documents. `exchange_rate` is document units per base unit (D1). */
const artefactHeader = {
  contact_id: sageId,
  date: isoDate,
  reference: z.string().max(25).optional(),
  contact_name: z.string().max(255).optional(),
  contact_reference: z.string().max(255).optional(),
  notes: z.string().max(2000).optional(),
  main_address: artefactAddressInput.optional(),
  delivery_address: artefactAddressInput.optional(),
  currency_id: currencyId.optional(),
  exchange_rate: z.number().finite().positive().optional(),
  shipping_net_amount: moneyIn.optional(),
  shipping_tax_rate_id: sageId.optional(),
  shipping_tax_amount: moneyIn.optional(),
  net_amount: moneyIn.optional(),
  tax_amount: moneyIn.optional(),
  total_amount: moneyIn.optional(),
};

export const salesInvoiceCreateInput = z.strictObject({
  ...artefactHeader,
  due_date: isoDate.optional(),
  invoice_number_prefix: z.string().max(6).optional(),
  terms_and_conditions: z.string().max(2000).optional(),
  invoice_lines: z.array(artefactLineInput).min(1),
});
export type SalesInvoiceCreateInput = z.infer<typeof salesInvoiceCreateInput>;

export const salesCreditNoteCreateInput = z.strictObject({
  ...artefactHeader,
  credit_note_number_prefix: z.string().max(6).optional(),
  original_invoice_date: isoDate.optional(),
  terms_and_conditions: z.string().max(65535).optional(),
  credit_note_lines: z.array(artefactLineInput).min(1),
});
export type SalesCreditNoteCreateInput = z.infer<typeof salesCreditNoteCreateInput>;

const artefactLineOut = z.looseObject({
  id: optString,
  description: optString,
  quantity: optMoney,
  unit_price: optMoney,
  net_amount: optMoney,
  tax_amount: optMoney,
  total_amount: optMoney,
  discount_amount: optMoney,
  tax_rate: optRef,
  ledger_account: optRef,
  product: optRef,
  service: optRef,
});

const artefactOut = {
  ...recordIdentity,
  reference: optString,
  date: optString,
  status: optRef,
  contact: optRef,
  currency: optRef,
  exchange_rate: optMoney,
  net_amount: optMoney,
  tax_amount: optMoney,
  total_amount: optMoney,
  shipping_net_amount: optMoney,
  shipping_tax_amount: optMoney,
  outstanding_amount: optMoney,
  total_paid: optMoney,
  /** base-currency mirrors (D1: document ÷ exchange_rate), read by the posting check (D11) */
  base_currency_net_amount: optMoney,
  base_currency_tax_amount: optMoney,
  base_currency_total_amount: optMoney,
  base_currency_outstanding_amount: optMoney,
  transaction: optRef,
  editable: optBool,
  sent: optBool,
  void_reason: optString,
  deleted_at: optString,
  tax_reconciled: optBool,
};

export const salesInvoiceSchema = z.looseObject({
  ...artefactOut,
  invoice_number: optString,
  due_date: optString,
  invoice_lines: z.array(artefactLineOut).nullish(),
});
export type SageSalesInvoice = z.infer<typeof salesInvoiceSchema>;

export const salesCreditNoteSchema = z.looseObject({
  ...artefactOut,
  credit_note_number: optString,
  original_invoice_date: optString,
  credit_note_lines: z.array(artefactLineOut).nullish(),
});
export type SageSalesCreditNote = z.infer<typeof salesCreditNoteSchema>;

import { z } from "zod";

/**
 * Magento's canonical entities as its webapi serialises them (wire-protocol §8.1, §8.4).
 *
 * - Optional getters that return null are omitted by Magento; we also accept an explicit `null`
 *   (some encoders and older modules emit it) and normalise both to `undefined`.
 * - Amounts are PHP floats, so whole numbers arrive without a fraction: every amount is a plain
 *   JSON number. Ids and counts are integers.
 * - Unknown keys are dropped, so a newer module that adds fields does not break syncing.
 */

function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

const amount = z.number();
const id = z.number().int().nonnegative();

export const addressSchema = z.object({
  kind: z.enum(["billing", "shipping"]),
  street: z.array(z.string()),
  city: z.string(),
  region: opt(z.string()),
  postcode: opt(z.string()),
  country_id: z.string(),
  telephone: opt(z.string()),
});
export type Address = z.infer<typeof addressSchema>;

export const contactSchema = z.object({
  /** 0 = Magento's synthetic guest contact: never GET /customer/0. */
  magento_id: id,
  email: z.string(),
  first_name: opt(z.string()),
  last_name: opt(z.string()),
  company: opt(z.string()),
  phone: opt(z.string()),
  website_id: id,
  group_id: opt(id),
  addresses: z.array(addressSchema),
  created_at: opt(z.string()),
  updated_at: opt(z.string()),
});
export type Contact = z.infer<typeof contactSchema>;

export const invoiceLineSchema = z.object({
  sku: z.string(),
  name: z.string(),
  qty: amount,
  unit_price: amount,
  line_subtotal: amount,
  line_tax: amount,
  line_total: amount,
  /** A ratio (0.2 = 20 %), present only when both tax and row total are positive (decisions D2). */
  tax_rate: opt(amount),
  tax_class: opt(z.string()),
  product_type: opt(z.string()),
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const INVOICE_STATES = ["open", "paid", "cancelled"] as const;

export const invoiceSchema = z.object({
  magento_id: id,
  increment_id: z.string(),
  order_id: id,
  order_increment_id: z.string(),
  website_id: id,
  store_id: id,
  currency: z.string(),
  state: z.enum(INVOICE_STATES),
  customer: contactSchema,
  lines: z.array(invoiceLineSchema),
  subtotal: amount,
  tax_amount: amount,
  shipping_amount: amount,
  shipping_tax_amount: amount,
  /** Magento stores document-level discounts as negative numbers; passed through unchanged. */
  discount_amount: amount,
  grand_total: amount,
  /** `YYYY-MM-DDTHH:MM:SSZ`, or "" when Magento could not parse its own date. */
  created_at: z.string(),
  payment_method: opt(z.string()),
  billing_address: opt(addressSchema),
  shipping_address: opt(addressSchema),
  po_number: opt(z.string()),
  /** Sent unchanged to Sage as exchange_rate (decisions D1). */
  base_to_order_rate: opt(amount),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const creditMemoSchema = z.object({
  magento_id: id,
  increment_id: z.string(),
  /** Absent when refunded from the order (offline methods). */
  invoice_id: opt(id),
  invoice_increment_id: opt(z.string()),
  website_id: id,
  currency: z.string(),
  customer: contactSchema,
  lines: z.array(invoiceLineSchema),
  adjustment_positive: amount,
  adjustment_negative: amount,
  grand_total: amount,
  shipping_amount: amount,
  shipping_tax_amount: amount,
  reason: opt(z.string()),
  created_at: z.string(),
  invoice_created_at: opt(z.string()),
  base_to_order_rate: opt(amount),
});
export type CreditMemo = z.infer<typeof creditMemoSchema>;

export const paymentSchema = z.object({
  /** The invoice id: payments are keyed by invoice. */
  magento_id: id,
  invoice_id: id,
  invoice_increment_id: z.string(),
  method: z.string(),
  currency: z.string(),
  amount,
  captured_at: z.string(),
  gateway_txn_id: opt(z.string()),
  /**
   * Declared `array<string,mixed>` but flattened by Magento's serializer into a list of values
   * (keys dropped, nested arrays JSON-stringified). Opaque audit data: never interpret it. An
   * object is accepted too, for stores whose webapi keeps the keys.
   */
  gateway_metadata: opt(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
});
export type Payment = z.infer<typeof paymentSchema>;

export const productSchema = z.object({
  magento_id: id,
  sku: z.string(),
  name: z.string(),
  product_type: z.string(),
  price: opt(amount),
  special_price: opt(amount),
  cost: opt(amount),
  weight: opt(amount),
  /** Absent when the product has no stock item. */
  stock_qty: opt(amount),
  manage_stock: z.boolean(),
  /** tax_class_id as a string, e.g. "2". */
  tax_class: opt(z.string()),
  website_ids: z.array(id),
  created_at: opt(z.string()),
  updated_at: opt(z.string()),
});
export type Product = z.infer<typeof productSchema>;

export const paymentMethodSchema = z.object({
  code: z.string().min(1),
  /** Here Magento does emit `null` (empty title); absent is read the same way. */
  label: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  is_active: z.boolean(),
});
export const paymentMethodListSchema = z.array(paymentMethodSchema);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

/**
 * The ping body. Magento returns an associative array, which stock webapi emits as the list
 * `[true, "<tenant>", "<time>"]`; a patched webapi keeps the object. Both normalise to the object.
 * Judge ping by its HTTP status: this body is informational.
 */
export const pingSchema = z.union([
  z.object({ ok: z.boolean(), tenant_id: z.string(), server_time: z.string() }),
  z.tuple([z.boolean(), z.string(), z.string()]).transform(([ok, tenant_id, server_time]) => ({ ok, tenant_id, server_time })),
]);
export type Ping = z.infer<typeof pingSchema>;

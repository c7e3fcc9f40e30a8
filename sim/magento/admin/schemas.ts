import { z } from "zod";

/** Boundary validation for the admin JSON API (and the HTML forms, which post the same shapes). */

const text = z.string().trim();
const optText = z.string().trim().nullish();
const date = z.coerce.date();

export const addressSchema = z.object({
  firstname: optText,
  lastname: optText,
  company: optText,
  street: z.union([z.array(z.string()), z.string().transform((s) => s.split("\n"))]),
  city: text,
  region: optText,
  postcode: optText,
  country_id: text.toUpperCase().length(2),
  telephone: optText,
});

export const customerSchema = z.object({
  email: z.email(),
  firstname: optText,
  lastname: optText,
  company: optText,
  website_id: z.coerce.number().int().optional(),
  group_id: z.coerce.number().int().nullish(),
  /** Shortcut: one sample address in this country, default billing + shipping. */
  country: text.toUpperCase().optional(),
  addresses: z
    .array(addressSchema.extend({ default_billing: z.boolean().optional(), default_shipping: z.boolean().optional() }))
    .optional(),
  /** Registered customer with no saved address (the canonical contact then falls back to orders). */
  no_addresses: z.boolean().optional(),
  created_at: date.optional(),
});

export const customerPatchSchema = z.object({
  email: z.email().optional(),
  firstname: optText,
  lastname: optText,
  group_id: z.coerce.number().int().nullish(),
  /** The phone of the default billing address (every address when there is no default). */
  telephone: optText,
});

const money = z.coerce.number().finite();

export const productSchema = z.object({
  sku: text.min(1),
  name: text.min(1),
  type_id: z.enum(["simple", "virtual", "downloadable", "configurable", "bundle", "grouped"]),
  price: money.nullish(),
  special_price: money.nullish(),
  cost: money.nullish(),
  weight: money.nullish(),
  tax_class_id: z.coerce.number().int().optional(),
  stock_qty: money.nullish(),
  manage_stock: z.boolean().optional(),
  website_ids: z.array(z.number().int()).optional(),
  child: z.object({ sku: text.min(1), name: text.min(1), price: money, stock_qty: money.optional() }).optional(),
  created_at: date.optional(),
});

export const productPatchSchema = z.object({
  name: text.min(1).optional(),
  price: money.nullish(),
  special_price: money.nullish(),
  cost: money.nullish(),
  weight: money.nullish(),
  tax_class_id: z.coerce.number().int().optional(),
});

export const orderSchema = z.object({
  customer_id: z.coerce.number().int().positive().nullish(),
  guest: z.object({ email: z.email(), firstname: optText, lastname: optText, company: optText }).optional(),
  /** Shortcut for the billing address when none is given. */
  country: text.toUpperCase().optional(),
  billing: addressSchema.optional(),
  shipping: addressSchema.nullish(),
  store_id: z.coerce.number().int().optional(),
  currency: text.toUpperCase().optional(),
  base_to_order_rate: z.coerce.number().positive().optional(),
  lines: z
    .array(
      z.object({
        product_id: z.coerce.number().int().positive().optional(),
        sku: text.optional(),
        qty: z.coerce.number().positive(),
        price: money.optional(),
        tax_percent: z.coerce.number().min(0).optional(),
        discount_percent: z.coerce.number().min(0).max(100).optional(),
      }),
    )
    .min(1),
  discount_percent: z.coerce.number().min(0).max(100).optional(),
  /** catalogue prices include tax: the tax is backed out of each row (41.625 on a 49.95 gross) */
  prices_include_tax: z.boolean().optional(),
  shipping_amount: money.min(0).optional(),
  shipping_tax_percent: z.coerce.number().min(0).optional(),
  payment_method: text.nullable().optional(),
  po_number: optText,
  invoice_state: z.enum(["open", "paid"]).optional(),
  created_at: date.optional(),
});

export const creditMemoSchema = z.object({
  invoice_id: z.coerce.number().int().positive(),
  lines: z.array(z.object({ index: z.coerce.number().int().min(0), qty: z.coerce.number().positive() })).optional(),
  shipping_amount: money.min(0).optional(),
  adjustment_positive: money.min(0).optional(),
  adjustment_negative: money.min(0).optional(),
  refund: z.enum(["online", "offline"]).optional(),
  link_invoice: z.boolean().optional(),
  comment: optText,
  created_at: date.optional(),
});

export const clockSchema = z.object({
  offset_seconds: z.coerce.number().int().optional(),
  advance_seconds: z.coerce.number().int().optional(),
});

/** The GC cron (30 days) or `outbox:cleanup --days=N`; `0` deletes every succeeded row. */
export const outboxGcSchema = z.object({ days: z.coerce.number().int().min(0).default(30) });

export const requeueSchema = z.object({ ids: z.array(z.coerce.number().int()).optional(), all: z.boolean().optional() });

export const invoiceSyncSchema = z.object({
  ids: z.array(z.coerce.number().int().positive()).optional(),
  all: z.boolean().optional(),
  event: z.enum(["created", "paid", "both"]).default("created"),
  state: z.enum(["open", "paid", "any"]).default("any"),
});

export const generateSchema = z.object({
  seed: z.coerce.number().int().default(42),
  customers: z.coerce.number().int().min(0).max(500).optional(),
  products: z.coerce.number().int().min(0).max(200).optional(),
  orders: z.coerce.number().int().min(0).max(2000).optional(),
  anchor: date.optional(),
});

export const stockSchema = z.object({ qty: money });

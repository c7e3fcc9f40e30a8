import { z } from "zod";

/**
 * A binding's sync policy (product-spec §1.3), stored as JSON in `sync_policies.settings`, one row per
 * saved version. Keys keep the product's snake_case names because merchants, docs and support use them.
 * Every key has a default, so an empty object is a valid policy and older saved versions stay readable
 * when keys are added.
 */

export const EU_TYPES = ["GOODS", "SERVICES"] as const;
export type EuGoodsServicesType = (typeof EU_TYPES)[number];

/** "20" and " 20.0 " both become "20.00"; anything that is not a non-negative number is rejected. */
export function canonicalTaxKey(raw: string): string | null {
  const s = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n.toFixed(2) : null;
}

const taxRateMap = z.record(z.string(), z.string().min(1)).transform((m, ctx) => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    const key = canonicalTaxKey(k);
    if (key === null) {
      ctx.addIssue({ code: "custom", path: [k], message: "invalid_format", params: { policyCode: "invalid_format" } });
      continue;
    }
    out[key] = v;
  }
  return out;
});

export const DEFAULT_TAX_RATE_MAP = { "20.00": "GB_STANDARD", "5.00": "GB_LOWER", "0.00": "GB_ZERO" } as const;

export const DEFAULT_PRODUCT_TYPE_EU_GOODS_MAP: Record<string, EuGoodsServicesType> = {
  simple: "GOODS",
  configurable: "GOODS",
  bundle: "GOODS",
  grouped: "GOODS",
  virtual: "SERVICES",
  downloadable: "SERVICES",
};

export const b2cSchema = z.object({
  enabled: z.boolean().default(false),
  fallback_contact_name: z.string().trim().max(200).default("Magento Web Sales"),
  fallback_contact_email: z.string().trim().max(100).default("sales@your-shop.example.com"),
  /** Sage caps contact references at 10 chars; one is kept free for the currency suffix. */
  fallback_contact_reference: z.string().trim().max(9).default("WEBSALES"),
  min_total_for_individual: z.number().min(0).default(0),
  always_individual_for_b2b: z.boolean().default(true),
});

const idOrNull = z.string().trim().min(1).nullable().default(null);

export const policySchema = z.object({
  // Sync Behaviour
  sync_unpaid_invoices: z.boolean().default(true),
  sync_zero_value_invoices: z.boolean().default(true),
  sync_since: z.iso.datetime({ offset: true }).nullable().default(null),
  website_filter: z
    .array(z.number().int().nonnegative())
    .nullable()
    .default([])
    .transform((v) => v ?? []),
  store_filter: z
    .array(z.number().int().nonnegative())
    .nullable()
    .default([])
    .transform((v) => v ?? []),
  sync_products: z.boolean().default(false),
  sync_stock: z.boolean().default(false),
  // Default Mappings
  default_tax_rate_id: idOrNull,
  default_ledger_account_id: idOrNull,
  default_bank_account_id: idOrNull,
  default_purchase_ledger_account_id: idOrNull,
  // Payment Method Map: Magento method code → Sage bank account id, or null = "never auto-pay"
  payment_method_map: z.record(z.string().min(1), z.string().min(1).nullable()).default({}),
  // Tax Rate Routing: "%.2f" → Sage tax rate id
  tax_rate_map: taxRateMap.default({ ...DEFAULT_TAX_RATE_MAP }),
  // Commercial
  invoice_number_prefix: z
    .string()
    .trim()
    .max(6)
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null)),
  customer_name_priority: z.enum(["Company", "Person"]).default("Company"),
  // Multi-currency
  default_eu_goods_services_type: z.enum(EU_TYPES).default("GOODS"),
  product_type_eu_goods_map: z.record(z.string().min(1), z.enum(EU_TYPES)).default({ ...DEFAULT_PRODUCT_TYPE_EU_GOODS_MAP }),
  // B2C Consolidation
  b2c_consolidation: b2cSchema.default(b2cSchema.parse({})),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

export function defaultPolicy(): Policy {
  return policySchema.parse({});
}

/** Parse a stored or submitted policy; throws ZodError for invalid shapes (reference checks live in validate.ts). */
export function parsePolicy(raw: unknown): Policy {
  return policySchema.parse(raw ?? {});
}

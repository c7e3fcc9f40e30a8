import { z } from "zod";
import { isoDate, moneyIn, optBool, optMoney, optRef, optString, recordIdentity, sageId } from "./common";

/**
 * Catalogue records: `products`, `services`, `stock_items` (Accounting Plus only) and
 * `stock_movements` (D7: a signed `quantity` adjustment, no movement type in v3.1).
 * `purchase_ledger_account_id` is required on products and stock items even for sales-only goods.
 */

const salesPriceInput = z.strictObject({
  price_name: z.string().optional(),
  price: moneyIn,
  price_includes_tax: z.boolean().optional(),
  product_sales_price_type_id: sageId.optional(),
});

const catalogueCommon = {
  notes: z.string().max(500).optional(),
  sales_tax_rate_id: sageId.optional(),
  purchase_tax_rate_id: sageId.optional(),
  cost_price: moneyIn.optional(),
  source_guid: z.string().max(255).optional(),
  purchase_description: z.string().max(250).optional(),
  active: z.boolean().optional(),
};

export const productCreateInput = z.strictObject({
  description: z.string().min(1).max(255),
  sales_ledger_account_id: sageId,
  purchase_ledger_account_id: sageId,
  item_code: z.string().max(255).optional(),
  sales_prices: z.array(salesPriceInput).optional(),
  ...catalogueCommon,
});
export type ProductCreateInput = z.infer<typeof productCreateInput>;
export const productUpdateInput = productCreateInput.partial();
export type ProductUpdateInput = z.infer<typeof productUpdateInput>;

export const serviceCreateInput = z.strictObject({
  description: z.string().min(1).max(255),
  sales_ledger_account_id: sageId,
  purchase_ledger_account_id: sageId.optional(),
  item_code: z.string().max(255).optional(),
  sales_rates: z
    .array(
      z.strictObject({
        rate_name: z.string().optional(),
        rate: moneyIn,
        rate_includes_tax: z.boolean().optional(),
        service_rate_type_id: sageId.optional(),
      }),
    )
    .optional(),
  ...catalogueCommon,
});
export type ServiceCreateInput = z.infer<typeof serviceCreateInput>;
export const serviceUpdateInput = serviceCreateInput.partial();
export type ServiceUpdateInput = z.infer<typeof serviceUpdateInput>;

export const stockItemCreateInput = z.strictObject({
  item_code: z.string().min(1).max(30),
  description: z.string().min(1).max(255),
  sales_ledger_account_id: sageId,
  purchase_ledger_account_id: sageId,
  sales_prices: z.array(salesPriceInput).optional(),
  reorder_level: z.number().finite().optional(),
  reorder_quantity: z.number().finite().optional(),
  location: z.string().optional(),
  barcode: z.string().optional(),
  weight: z.number().finite().optional(),
  measurement_unit: z.string().optional(),
  ...catalogueCommon,
});
export type StockItemCreateInput = z.infer<typeof stockItemCreateInput>;
export const stockItemUpdateInput = stockItemCreateInput.partial();
export type StockItemUpdateInput = z.infer<typeof stockItemUpdateInput>;

export const stockMovementCreateInput = z.strictObject({
  stock_item_id: sageId,
  date: isoDate,
  /** Signed: Magento quantity minus Sage `quantity_in_stock` (D7). */
  quantity: z.number().finite(),
  cost_price: moneyIn,
  details: z.string().min(1).max(50),
  reference: z.string().max(31).optional(),
  movement_number: z.string().max(4).optional(),
});
export type StockMovementCreateInput = z.infer<typeof stockMovementCreateInput>;

const catalogueOut = {
  ...recordIdentity,
  item_code: optString,
  description: optString,
  notes: optString,
  sales_ledger_account: optRef,
  purchase_ledger_account: optRef,
  sales_tax_rate: optRef,
  purchase_tax_rate: optRef,
  cost_price: optMoney,
  source_guid: optString,
  active: optBool,
  deleted_at: optString,
};

const salesPriceOut = z.looseObject({ price_name: optString, price: optMoney, price_includes_tax: optBool });

export const productSchema = z.looseObject({
  ...catalogueOut,
  sales_prices: z.array(salesPriceOut).nullish(),
});
export type SageProduct = z.infer<typeof productSchema>;

export const serviceSchema = z.looseObject({
  ...catalogueOut,
  sales_rates: z.array(z.looseObject({ rate_name: optString, rate: optMoney, rate_includes_tax: optBool })).nullish(),
});
export type SageService = z.infer<typeof serviceSchema>;

export const stockItemSchema = z.looseObject({
  ...catalogueOut,
  sales_prices: z.array(salesPriceOut).nullish(),
  quantity_in_stock: optMoney,
  last_cost_price: optMoney,
  average_cost_price: optMoney,
});
export type SageStockItem = z.infer<typeof stockItemSchema>;

export const stockMovementSchema = z.looseObject({
  ...recordIdentity,
  date: optString,
  quantity: optMoney,
  cost_price: optMoney,
  details: optString,
  reference: optString,
  movement_number: optString,
  stock_item: optRef,
});
export type SageStockMovement = z.infer<typeof stockMovementSchema>;

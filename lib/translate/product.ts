import type { Product } from "@/lib/magento/canonical";
import type { ProductRoute } from "@/lib/policy/evaluate";
import type { Policy } from "@/lib/policy/schema";
import type { ProductCreateInput, ServiceCreateInput, StockItemCreateInput } from "@/lib/sage/schemas";
import { SyncError } from "@/lib/errors";
import { round2 } from "./money";
import { clip, decodeEntities } from "./text";

/**
 * product.upserted → Sage products / services / stock items (product-spec §3.6). Only `price` is sent,
 * in base currency; Sage requires a purchase ledger account on products and stock items even for
 * sales-only goods, so the policy must name one.
 */

export type CatalogueItem =
  | { route: "product"; payload: ProductCreateInput }
  | { route: "service"; payload: ServiceCreateInput }
  | { route: "stock_item"; payload: StockItemCreateInput };

type ItemPolicy = Pick<Policy, "default_ledger_account_id" | "default_purchase_ledger_account_id">;

function accounts(policy: ItemPolicy, needsPurchase: boolean) {
  if (!policy.default_ledger_account_id) {
    throw new SyncError("validation", "No default sales ledger account is set: choose one in Settings → Default Mappings, then retry.");
  }
  if (needsPurchase && !policy.default_purchase_ledger_account_id) {
    throw new SyncError(
      "validation",
      "Sage requires a purchase ledger account on products: choose one in Settings → Default Mappings, then retry.",
    );
  }
  return { sales: policy.default_ledger_account_id, purchase: policy.default_purchase_ledger_account_id ?? undefined };
}

export function translateProduct(p: Product, route: ProductRoute, policy: ItemPolicy): CatalogueItem {
  const description = clip(decodeEntities(p.name).trim() || p.sku, 255);
  const price = round2(p.price ?? 0);
  const cost = p.cost !== undefined ? { cost_price: round2(p.cost) } : {};
  if (route === "service") {
    const a = accounts(policy, false);
    return {
      route,
      payload: {
        description,
        item_code: clip(p.sku, 255),
        sales_ledger_account_id: a.sales,
        ...(a.purchase ? { purchase_ledger_account_id: a.purchase } : {}),
        sales_rates: [{ rate_name: "Standard", rate: price, rate_includes_tax: false }],
        ...cost,
      },
    };
  }
  const a = accounts(policy, true);
  const common = {
    description,
    sales_ledger_account_id: a.sales,
    purchase_ledger_account_id: a.purchase!,
    sales_prices: [{ price_name: "Selling Price", price, price_includes_tax: false }],
    ...cost,
  };
  if (route === "stock_item") {
    if (Array.from(p.sku).length > 30) {
      throw new SyncError("validation", `Sage stock item codes are limited to 30 characters; SKU "${p.sku}" is longer.`);
    }
    return { route, payload: { item_code: p.sku, ...common } };
  }
  return { route, payload: { item_code: clip(p.sku, 255), ...common } };
}

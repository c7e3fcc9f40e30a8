import type { Product } from "@/lib/magento/canonical";
import type { ProductRoute } from "@/lib/policy/evaluate";
import type { SageClient } from "@/lib/sage";
import { round2 } from "@/lib/translate/money";
import { translateProduct } from "@/lib/translate/product";
import type { AttemptNotes } from "./engine";
import type { RunScope } from "./runs";
import { xrefScope } from "./invoices";
import { findXref, idempotencyKey, saveXref } from "./xref";

/**
 * product.upserted → the product's Sage catalogue item (product-spec §3.6), then stock reconciliation
 * when it is a stock item (D7: one signed movement = Magento's quantity − Sage's quantity_in_stock).
 */

export type CatalogueResult =
  | { outcome: "synced"; sageId: string; reference: string | null; action: "created" | "updated" | "unchanged"; movement?: number }
  | { outcome: "stock_only_change" };

type Item = {
  id: string;
  displayed_as: string;
  description?: string | null;
  cost_price?: number | null;
  quantity_in_stock?: number | null;
  sales_prices?: { price?: number | null }[] | null;
  sales_rates?: { rate?: number | null }[] | null;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the three item kinds (product, service, stock item) share one call shape
type ItemPayload = any;

function priceOf(item: Item): number | null {
  return item.sales_prices?.[0]?.price ?? item.sales_rates?.[0]?.rate ?? null;
}

const api = (sage: SageClient, route: ProductRoute) =>
  route === "product"
    ? { get: sage.getProduct, create: sage.createProduct, update: sage.updateProduct, find: sage.findProductsByItemCode }
    : route === "service"
      ? { get: sage.getService, create: sage.createService, update: sage.updateService, find: sage.findServicesByItemCode }
      : { get: sage.getStockItem, create: sage.createStockItem, update: sage.updateStockItem, find: sage.findStockItemsByItemCode };

export async function syncCatalogueItem(
  scope: RunScope,
  sage: SageClient,
  p: Product,
  route: ProductRoute,
  notes: AttemptNotes,
  now = new Date(),
): Promise<CatalogueResult> {
  const xs = xrefScope(scope);
  const key = String(p.magento_id);
  const item = translateProduct(p, route, scope.policy);
  notes.payload = item.payload as never;
  const calls = api(sage, route);
  const call = calls as unknown as {
    get(id: string): Promise<Item>;
    create(i: ItemPayload, o: { idempotencyKey: string }): Promise<Item>;
    update(id: string, i: ItemPayload): Promise<Item>;
    find(code: string): Promise<Item[]>;
  };

  const known = await findXref(xs, route, key);
  let current: Item;
  let action: "created" | "updated" | "unchanged";
  if (known) {
    current = await call.get(known.sageId);
    const priceNow = priceOf(current);
    const changed =
      current.description !== item.payload.description ||
      priceNow === null ||
      round2(priceNow) !== round2(priceOf(item.payload as unknown as Item) ?? 0);
    if (changed) {
      notes.request = { method: "PUT", path: `/${route}s/${known.sageId}` };
      current = await call.update(known.sageId, item.payload);
      action = "updated";
    } else {
      action = "unchanged";
      if (route !== "stock_item" && p.manage_stock && !scope.policy.sync_stock) return { outcome: "stock_only_change" };
    }
  } else {
    const adopted = (await call.find(p.sku))[0];
    notes.request = adopted ? { adopted: adopted.id } : { method: "POST", path: `/${route}s`, item_code: p.sku };
    current = adopted ?? (await call.create(item.payload, { idempotencyKey: idempotencyKey(xs, route, key) }));
    action = adopted ? "unchanged" : "created";
    await saveXref(xs, route, key, { sageId: current.id, sageReference: current.displayed_as, data: { sku: p.sku } });
  }

  let movement: number | undefined;
  if (route === "stock_item" && p.stock_qty !== undefined) {
    const fresh = action === "unchanged" ? current : await call.get(current.id);
    const delta = Number(((p.stock_qty ?? 0) - (fresh.quantity_in_stock ?? 0)).toFixed(4));
    if (delta !== 0) {
      await sage.createStockMovement(
        {
          stock_item_id: current.id,
          date: now.toISOString().slice(0, 10),
          quantity: delta,
          cost_price: round2(p.cost ?? fresh.cost_price ?? 0),
          details: "Magento stock level sync",
        },
        { idempotencyKey: idempotencyKey(xs, "stock_item", key, "movement", p.updated_at ?? "", String(p.stock_qty)) },
      );
      movement = delta;
    }
  }
  notes.response = { id: current.id, displayed_as: current.displayed_as, action, movement: movement ?? null };
  return { outcome: "synced", sageId: current.id, reference: current.displayed_as, action, movement };
}

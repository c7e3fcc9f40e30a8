import type { z } from "zod";
import type { ApiContext, Route } from "../context.ts";
import { SCHEMA, withTx, type Tx } from "../db.ts";
import { notFound } from "../http.ts";
import { money, round2 } from "../money.ts";
import { base, ledgerAccounts, taxRateBase } from "../reference.ts";
import { productInput, productUpdate, serviceInput, stockItemInput, stockMovementInput } from "../schemas.ts";
import { createIdempotent, getRecord, insertRecord, newId, nowIso, updateRecord, type Json, type Kind } from "../store.ts";
import { num, parseRoot } from "../validation.ts";
import { getHandler, listHandler, requireWrite, searchFilter } from "./common.ts";
import { Problems, ledger, taxRate } from "./lookup.ts";

/** Products, services and stock items share one shape; stock movements adjust stock items (D7). */
type ItemInput = z.infer<typeof productInput> & Record<string, unknown>;
type ItemKind = "products" | "services" | "stock_items";

const CATALOG_TYPE: Record<ItemKind, [string, string]> = {
  products: ["PRODUCT", "Product"],
  services: ["SERVICE", "Service"],
  stock_items: ["STOCK_ITEM", "Stock"],
};

async function itemCodeTaken(tx: Tx, businessId: string, kind: ItemKind, code: string, exceptId = ""): Promise<boolean> {
  const res = await tx.query(
    `SELECT 1 FROM ${SCHEMA}.records WHERE business_id = $1 AND kind = $2 AND data->>'item_code' = $3 AND id <> $4 AND deleted_at IS NULL`,
    [businessId, kind, code, exceptId],
  );
  return (res.rowCount ?? 0) > 0;
}

async function validate(tx: Tx, businessId: string, kind: ItemKind, input: Partial<ItemInput>, exceptId?: string) {
  const p = new Problems();
  ledger(p, businessId, input.sales_ledger_account_id, "sales_ledger_account_id", "sales");
  // Products need a purchase ledger account even when only sold (sage-api §4.6); it must be one
  // a purchase can post to.
  ledger(p, businessId, input.purchase_ledger_account_id, "purchase_ledger_account_id", "expenses");
  taxRate(p, input.sales_tax_rate_id, "sales_tax_rate_id");
  taxRate(p, input.purchase_tax_rate_id, "purchase_tax_rate_id");
  if (input.item_code && (await itemCodeTaken(tx, businessId, kind, input.item_code, exceptId)))
    p.add("item_code", "has already been taken");
  p.throwIfAny();
}

function render(businessId: string, kind: ItemKind, id: string, input: ItemInput, createdAt: string, stock?: Json): Json {
  const la = (lid: string | undefined) => {
    const l = lid ? ledgerAccounts(businessId).find((a) => a.id === lid) : undefined;
    return l ? base("ledger_accounts", l.id, l.displayed_as) : null;
  };
  const prices = (input.sales_prices ?? []).map((sp) => ({
    id: newId(),
    displayed_as: sp.price_name ?? "Selling Price",
    price_name: sp.price_name ?? "Selling Price",
    price: money(num(sp.price)),
    price_includes_tax: sp.price_includes_tax ?? false,
    product_sales_price_type: base("product_sales_price_types", sp.product_sales_price_type_id ?? "SELLING_PRICE", "Selling Price"),
  }));
  const rates = (
    (input.sales_rates as { rate_name?: string; rate?: number | string; rate_includes_tax?: boolean }[] | undefined) ?? []
  ).map((r) => ({
    id: newId(),
    displayed_as: r.rate_name ?? "Rate",
    rate_name: r.rate_name ?? "Rate",
    rate: money(num(r.rate)),
    rate_includes_tax: r.rate_includes_tax ?? false,
  }));
  const text = (k: string) => (input[k] as string | undefined) ?? null;
  return {
    ...base(kind, id, input.description),
    description: input.description,
    notes: text("notes"),
    source_guid: text("source_guid"),
    purchase_description: text("purchase_description"),
    usual_supplier: input.usual_supplier_id ? base("contacts", input.usual_supplier_id, input.usual_supplier_id) : null,
    item_code: input.item_code ?? null,
    catalog_item_type: base("catalog_item_types", ...CATALOG_TYPE[kind]),
    sales_ledger_account: la(input.sales_ledger_account_id),
    purchase_ledger_account: la(input.purchase_ledger_account_id),
    sales_tax_rate: input.sales_tax_rate_id ? taxRateBase(input.sales_tax_rate_id) : null,
    purchase_tax_rate: input.purchase_tax_rate_id ? taxRateBase(input.purchase_tax_rate_id) : null,
    cost_price: money(num(input.cost_price)),
    active: input.active ?? true,
    deletable: true,
    ...(kind === "services" ? { sales_rates: rates } : { sales_prices: prices }),
    ...(kind === "stock_items"
      ? {
          quantity_in_stock: "0.0",
          last_cost_price: money(num(input.cost_price)),
          average_cost_price: money(num(input.cost_price)),
          reorder_level: money(num(input.reorder_level as string | undefined)),
          reorder_quantity: money(num(input.reorder_quantity as string | undefined)),
          location: text("location"),
          barcode: text("barcode"),
          supplier_part_number: text("supplier_part_number"),
          measurement_unit: text("measurement_unit"),
          ...stock,
        }
      : {}),
    deleted_at: null,
    created_at: createdAt,
    updated_at: nowIso(),
    _input: input,
  };
}

const present = (rec: Json): Json => {
  const { _input, ...out } = rec;
  void _input;
  return out;
};

const SCHEMAS = { products: productInput, services: serviceInput, stock_items: stockItemInput } as const;
const ROOTS: Record<ItemKind, string> = { products: "product", services: "service", stock_items: "stock_item" };

function createItem(kind: ItemKind) {
  return async (ctx: ApiContext) => {
    requireWrite(ctx);
    const input = parseRoot(ROOTS[kind], SCHEMAS[kind], ctx.body) as ItemInput;
    const r = await createIdempotent(ctx.db, ctx.business.id, kind, input.idempotency_id, ctx.body, async (tx) => {
      await validate(tx, ctx.business.id, kind, input);
      const rec = render(ctx.business.id, kind, newId(), input, nowIso());
      await insertRecord(tx, ctx.business.id, kind, rec);
      return present(rec);
    });
    return { status: r.status, body: r.body, replayed: r.replayed };
  };
}

async function updateProduct(ctx: ApiContext, id: string) {
  requireWrite(ctx);
  const patch = parseRoot("product", productUpdate, ctx.body);
  const rec = await withTx(ctx.db, async (tx) => {
    const current = await getRecord(tx, ctx.business.id, "products", id, { forUpdate: true });
    if (!current) throw notFound();
    const { idempotency_id, ...changes } = patch;
    void idempotency_id;
    await validate(tx, ctx.business.id, "products", changes, id);
    const next = render(ctx.business.id, "products", id, { ...(current._input as ItemInput), ...changes }, String(current.created_at));
    await updateRecord(tx, ctx.business.id, "products", next);
    return next;
  });
  return { status: 200, body: present(rec) };
}

type MovementInput = z.infer<typeof stockMovementInput>;

/** A movement is a signed adjustment of quantity_in_stock; its cost feeds last/average cost (D7). */
async function createMovement(ctx: ApiContext) {
  requireWrite(ctx);
  const input: MovementInput = parseRoot("stock_movement", stockMovementInput, ctx.body);
  const r = await createIdempotent(ctx.db, ctx.business.id, "stock_movements", input.idempotency_id, ctx.body, async (tx) => {
    const p = new Problems();
    const item = await getRecord(tx, ctx.business.id, "stock_items", input.stock_item_id, { forUpdate: true });
    if (!item) p.add("stock_item_id", "Couldn't find record.");
    const quantity = num(input.quantity);
    const cost = num(input.cost_price);
    if (quantity === 0) p.add("quantity", "must not be zero");
    if (cost < 0) p.add("cost_price", "must be greater than or equal to 0");
    p.throwIfAny();
    const before = Number(item!.quantity_in_stock);
    const after = round2(before + quantity);
    const avg = Number(item!.average_cost_price);
    const newAvg =
      quantity > 0 && after > 0 ? round2((Math.max(before, 0) * avg + quantity * cost) / (Math.max(before, 0) + quantity)) : avg;
    await updateRecord(tx, ctx.business.id, "stock_items", {
      ...item!,
      quantity_in_stock: money(after),
      last_cost_price: money(cost),
      average_cost_price: money(newAvg),
      updated_at: nowIso(),
    });
    const id = newId();
    const now = nowIso();
    const rec: Json = {
      ...base("stock_movements", id, input.details),
      stock_item: base("stock_items", String(item!.id), String(item!.displayed_as)),
      date: input.date,
      quantity: money(quantity),
      cost_price: money(cost),
      details: input.details,
      movement_number: input.movement_number ?? null,
      reference: input.reference ?? null,
      created_at: now,
      updated_at: now,
    };
    await insertRecord(tx, ctx.business.id, "stock_movements", rec);
    return rec;
  });
  return { status: r.status, body: r.body, replayed: r.replayed };
}

const itemList = (kind: Kind) => (ctx: ApiContext) =>
  listHandler(
    ctx,
    kind,
    (w, q) => {
      searchFilter(w, q, ["data->>'item_code'", "data->>'description'"]);
      const active = q.get("active");
      if (active === "true" || active === "false") w.add("(data->>'active')::boolean = ?", active === "true");
      const stockItem = q.get("stock_item_id");
      if (kind === "stock_movements" && stockItem) w.add("data->'stock_item'->>'id' = ?", stockItem);
    },
    present,
  );

export const itemRoutes: Route[] = [
  ...(["products", "services", "stock_items"] as const).flatMap((kind): Route[] => [
    { method: "GET", pattern: `/${kind}`, handler: itemList(kind) },
    { method: "GET", pattern: `/${kind}/:id`, handler: (ctx, p) => getHandler(ctx, kind, p.id, present) },
    { method: "POST", pattern: `/${kind}`, handler: createItem(kind) },
  ]),
  { method: "PUT", pattern: "/products/:id", handler: (ctx, p) => updateProduct(ctx, p.id) },
  { method: "GET", pattern: "/stock_movements", handler: itemList("stock_movements") },
  { method: "GET", pattern: "/stock_movements/:id", handler: (ctx, p) => getHandler(ctx, "stock_movements", p.id) },
  { method: "POST", pattern: "/stock_movements", handler: createMovement },
];

import { nextId, withTransaction, type Queryable } from "../db.ts";
import type { SimContext } from "../context.ts";
import { observeEvent } from "../module/outbox.ts";
import * as repo from "./repo.ts";
import type { AddressData, Customer, Product, ProductType } from "./types.ts";

/** Customer and product saves, each firing the module's observers like Magento's save_after events. */

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CustomerInput {
  email: string;
  firstname?: string | null;
  lastname?: string | null;
  website_id?: number;
  group_id?: number | null;
  /** In order; the flags pick Magento's default billing/shipping address. */
  addresses?: (AddressData & { default_billing?: boolean; default_shipping?: boolean })[];
  created_at?: Date;
}

const at = (ctx: SimContext, d?: Date): Date => d ?? new Date(Math.floor(ctx.nowMs() / 1000) * 1000);

async function fireCustomer(ctx: SimContext, db: Queryable, c: Customer): Promise<void> {
  await observeEvent(
    ctx,
    db,
    "customer.upserted",
    { magento_entity_id: c.entity_id, website_id: c.website_id, store_id: 0, payload: {} },
    `customer.upserted:${c.entity_id}`,
  );
}

export async function createCustomer(ctx: SimContext, input: CustomerInput): Promise<Customer> {
  return withTransaction(ctx.pool, async (db) => {
    const id = await nextId(db, ctx.storeKey, "customer");
    const addresses = [];
    let defaultBilling: number | null = null;
    let defaultShipping: number | null = null;
    for (const a of input.addresses ?? []) {
      const addressId = await nextId(db, ctx.storeKey, "customer_address");
      const { default_billing, default_shipping, ...data } = a;
      addresses.push({ id: addressId, ...data });
      if (default_billing) defaultBilling = addressId;
      if (default_shipping) defaultShipping = addressId;
    }
    const created = at(ctx, input.created_at);
    const customer: Customer = {
      entity_id: id,
      email: input.email,
      firstname: input.firstname ?? null,
      lastname: input.lastname ?? null,
      website_id: input.website_id ?? 1,
      group_id: input.group_id === undefined ? 1 : input.group_id,
      addresses,
      default_billing: defaultBilling,
      default_shipping: defaultShipping,
      created_at: created,
      updated_at: created,
    };
    await repo.insertCustomer(db, ctx.storeKey, customer);
    await fireCustomer(ctx, db, customer);
    return customer;
  });
}

export interface CustomerPatch {
  email?: string;
  firstname?: string | null;
  lastname?: string | null;
  group_id?: number | null;
  /** edits the default billing address's phone (every address's when none is default) */
  telephone?: string | null;
}

/** A later save: the module re-enqueues `customer.upserted:<id>`, which the outbox dedupes. */
export async function updateCustomer(ctx: SimContext, id: number, patch: CustomerPatch): Promise<Customer> {
  return withTransaction(ctx.pool, async (db) => {
    const existing = await repo.getCustomer(db, ctx.storeKey, id);
    if (!existing) throw new AdminError(404, `customer ${id} not found`);
    const { telephone, ...fields } = patch;
    const addresses =
      telephone === undefined
        ? existing.addresses
        : existing.addresses.map((a) => (existing.default_billing === null || a.id === existing.default_billing ? { ...a, telephone } : a));
    const updated: Customer = { ...existing, ...fields, addresses, updated_at: at(ctx) };
    await repo.insertCustomer(db, ctx.storeKey, updated);
    await fireCustomer(ctx, db, updated);
    return updated;
  });
}

export interface ProductInput {
  sku: string;
  name: string;
  type_id: ProductType;
  price?: number | null;
  special_price?: number | null;
  cost?: number | null;
  weight?: number | null;
  tax_class_id?: number;
  stock_qty?: number | null;
  manage_stock?: boolean;
  website_ids?: number[];
  /** Configurables: the simple child ordered under it (created too). */
  child?: { sku: string; name: string; price: number; stock_qty?: number };
  created_at?: Date;
}

async function fireProduct(ctx: SimContext, db: Queryable, id: number): Promise<void> {
  await observeEvent(
    ctx,
    db,
    "product.upserted",
    { magento_entity_id: id, website_id: 0, store_id: 0, payload: {} },
    `product.upserted:${id}`,
  );
}

async function insertNewProduct(ctx: SimContext, db: Queryable, input: ProductInput, childId: number | null): Promise<Product> {
  const id = await nextId(db, ctx.storeKey, "product");
  const created = at(ctx, input.created_at);
  // Composite types have no stock item of their own (the canonical product then says manage_stock false).
  const composite = ["configurable", "bundle", "grouped"].includes(input.type_id);
  const product: Product = {
    entity_id: id,
    sku: input.sku,
    name: input.name,
    type_id: input.type_id,
    price: input.price ?? null,
    special_price: input.special_price ?? null,
    cost: input.cost ?? null,
    weight: input.type_id === "simple" || input.type_id === "configurable" ? (input.weight ?? null) : null,
    tax_class_id: input.tax_class_id ?? 2,
    has_stock_item: !composite,
    stock_qty: composite ? null : (input.stock_qty ?? 100),
    manage_stock: composite ? false : (input.manage_stock ?? input.type_id === "simple"),
    website_ids: input.website_ids ?? [1],
    child_id: childId,
    created_at: created,
    updated_at: created,
  };
  await repo.insertProduct(db, ctx.storeKey, product);
  await fireProduct(ctx, db, id);
  return product;
}

export async function createProduct(ctx: SimContext, input: ProductInput): Promise<Product> {
  if (input.type_id === "configurable" && !input.child) throw new AdminError(400, "a configurable product needs a child");
  return withTransaction(ctx.pool, async (db) => {
    let childId: number | null = null;
    if (input.type_id === "configurable" && input.child) {
      const child = await insertNewProduct(
        ctx,
        db,
        {
          sku: input.child.sku,
          name: input.child.name,
          type_id: "simple",
          price: input.child.price,
          tax_class_id: input.tax_class_id,
          stock_qty: input.child.stock_qty,
          weight: input.weight,
          website_ids: input.website_ids,
          created_at: input.created_at,
        },
        null,
      );
      childId = child.entity_id;
    }
    return insertNewProduct(ctx, db, { ...input, price: input.price ?? null }, childId);
  });
}

export type ProductPatch = Partial<Pick<Product, "name" | "price" | "special_price" | "cost" | "weight" | "tax_class_id">>;

export async function updateProduct(ctx: SimContext, id: number, patch: ProductPatch): Promise<Product> {
  return withTransaction(ctx.pool, async (db) => {
    const existing = await repo.getProduct(db, ctx.storeKey, id);
    if (!existing) throw new AdminError(404, `product ${id} not found`);
    const updated: Product = { ...existing, ...patch, updated_at: at(ctx) };
    await repo.insertProduct(db, ctx.storeKey, updated);
    await fireProduct(ctx, db, id);
    return updated;
  });
}

/** `cataloginventory_stock_item_save_after` also fires product.upserted (same key, so usually deduped). */
export async function setStock(ctx: SimContext, id: number, qty: number): Promise<Product> {
  return withTransaction(ctx.pool, async (db) => {
    const existing = await repo.getProduct(db, ctx.storeKey, id);
    if (!existing) throw new AdminError(404, `product ${id} not found`);
    if (!existing.has_stock_item) throw new AdminError(400, `product ${id} (${existing.type_id}) has no stock item`);
    const updated: Product = { ...existing, stock_qty: qty };
    await repo.insertProduct(db, ctx.storeKey, updated);
    await fireProduct(ctx, db, id);
    return updated;
  });
}

import { SCHEMA, type Queryable } from "../db.ts";
import type { CreditMemo, Customer, Invoice, Order, Product } from "./types.ts";

/** Row ↔ entity mapping for the simulated Magento tables (bigint ids come back as strings). */

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toCustomer(r: Row): Customer {
  return {
    entity_id: num(r.entity_id),
    email: r.email as string,
    firstname: r.firstname as string | null,
    lastname: r.lastname as string | null,
    website_id: num(r.website_id),
    group_id: numOrNull(r.group_id),
    addresses: r.addresses as Customer["addresses"],
    default_billing: numOrNull(r.default_billing),
    default_shipping: numOrNull(r.default_shipping),
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}

function toProduct(r: Row): Product {
  return {
    entity_id: num(r.entity_id),
    sku: r.sku as string,
    name: r.name as string,
    type_id: r.type_id as Product["type_id"],
    price: numOrNull(r.price),
    special_price: numOrNull(r.special_price),
    cost: numOrNull(r.cost),
    weight: numOrNull(r.weight),
    tax_class_id: num(r.tax_class_id),
    has_stock_item: r.has_stock_item as boolean,
    stock_qty: numOrNull(r.stock_qty),
    manage_stock: r.manage_stock as boolean,
    website_ids: (r.website_ids as number[]).map(Number),
    child_id: numOrNull(r.child_id),
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}

function toOrder(r: Row): Order {
  return {
    entity_id: num(r.entity_id),
    increment_id: r.increment_id as string,
    store_id: num(r.store_id),
    customer_id: numOrNull(r.customer_id),
    customer_email: r.customer_email as string,
    customer_firstname: r.customer_firstname as string | null,
    customer_lastname: r.customer_lastname as string | null,
    order_currency_code: r.order_currency_code as string,
    base_currency_code: r.base_currency_code as string,
    base_to_order_rate: num(r.base_to_order_rate),
    billing_address: r.billing_address as Order["billing_address"],
    shipping_address: r.shipping_address as Order["shipping_address"],
    payment: r.payment as Order["payment"],
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}

const totals = (r: Row) => ({
  subtotal: num(r.subtotal),
  tax_amount: num(r.tax_amount),
  shipping_amount: num(r.shipping_amount),
  shipping_tax_amount: num(r.shipping_tax_amount),
  discount_amount: num(r.discount_amount),
  grand_total: num(r.grand_total),
});

function toInvoice(r: Row): Invoice {
  return {
    entity_id: num(r.entity_id),
    increment_id: r.increment_id as string,
    order_id: num(r.order_id),
    store_id: num(r.store_id),
    state: num(r.state),
    order_currency_code: r.order_currency_code as string | null,
    base_currency_code: r.base_currency_code as string | null,
    base_to_order_rate: numOrNull(r.base_to_order_rate),
    items: r.items as Invoice["items"],
    ...totals(r),
    created_at: r.created_at as Date,
    updated_at: r.updated_at as Date,
  };
}

function toCreditMemo(r: Row): CreditMemo {
  return {
    entity_id: num(r.entity_id),
    increment_id: r.increment_id as string,
    order_id: num(r.order_id),
    invoice_id: numOrNull(r.invoice_id),
    store_id: num(r.store_id),
    order_currency_code: r.order_currency_code as string | null,
    base_currency_code: r.base_currency_code as string | null,
    base_to_order_rate: numOrNull(r.base_to_order_rate),
    items: r.items as CreditMemo["items"],
    ...totals(r),
    adjustment_positive: num(r.adjustment_positive),
    adjustment_negative: num(r.adjustment_negative),
    refund_online: r.refund_online as boolean,
    comments: r.comments as string[],
    created_at: r.created_at as Date,
  };
}

async function one<T>(db: Queryable, table: string, storeKey: string, id: number, map: (r: Row) => T): Promise<T | null> {
  const res = await db.query(`SELECT * FROM ${SCHEMA}.${table} WHERE store_key = $1 AND entity_id = $2`, [storeKey, id]);
  return res.rows[0] ? map(res.rows[0] as Row) : null;
}

async function all<T>(
  db: Queryable,
  table: string,
  storeKey: string,
  map: (r: Row) => T,
  where = "",
  params: unknown[] = [],
): Promise<T[]> {
  const res = await db.query(`SELECT * FROM ${SCHEMA}.${table} WHERE store_key = $1 ${where} ORDER BY entity_id`, [storeKey, ...params]);
  return res.rows.map((r) => map(r as Row));
}

export const getCustomer = (db: Queryable, s: string, id: number) => one(db, "customer_entity", s, id, toCustomer);
export const getProduct = (db: Queryable, s: string, id: number) => one(db, "catalog_product_entity", s, id, toProduct);
export const getOrder = (db: Queryable, s: string, id: number) => one(db, "sales_order", s, id, toOrder);
export const getInvoice = (db: Queryable, s: string, id: number) => one(db, "sales_invoice", s, id, toInvoice);
export const getCreditMemo = (db: Queryable, s: string, id: number) => one(db, "sales_creditmemo", s, id, toCreditMemo);

export const listCustomers = (db: Queryable, s: string) => all(db, "customer_entity", s, toCustomer);
export const listProducts = (db: Queryable, s: string) => all(db, "catalog_product_entity", s, toProduct);
export const listOrders = (db: Queryable, s: string) => all(db, "sales_order", s, toOrder);
export const listInvoices = (db: Queryable, s: string) => all(db, "sales_invoice", s, toInvoice);
export const listCreditMemos = (db: Queryable, s: string) => all(db, "sales_creditmemo", s, toCreditMemo);
export const creditMemosForOrder = (db: Queryable, s: string, orderId: number) =>
  all(db, "sales_creditmemo", s, toCreditMemo, "AND order_id = $2", [orderId]);
export const invoicesForOrder = (db: Queryable, s: string, orderId: number) =>
  all(db, "sales_invoice", s, toInvoice, "AND order_id = $2", [orderId]);

/** The customer's most recent order (ContactRepository's address fallback). */
export async function mostRecentOrder(db: Queryable, s: string, customerId: number): Promise<Order | null> {
  const res = await db.query(
    `SELECT * FROM ${SCHEMA}.sales_order WHERE store_key = $1 AND customer_id = $2 ORDER BY created_at DESC, entity_id DESC LIMIT 1`,
    [s, customerId],
  );
  return res.rows[0] ? toOrder(res.rows[0] as Row) : null;
}

export async function insertCustomer(db: Queryable, s: string, c: Customer): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.customer_entity (store_key, entity_id, email, firstname, lastname, website_id, group_id, addresses,
       default_billing, default_shipping, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
     ON CONFLICT (store_key, entity_id) DO UPDATE SET email = EXCLUDED.email, firstname = EXCLUDED.firstname,
       lastname = EXCLUDED.lastname, website_id = EXCLUDED.website_id, group_id = EXCLUDED.group_id,
       addresses = EXCLUDED.addresses, default_billing = EXCLUDED.default_billing,
       default_shipping = EXCLUDED.default_shipping, updated_at = EXCLUDED.updated_at`,
    [
      s,
      c.entity_id,
      c.email,
      c.firstname,
      c.lastname,
      c.website_id,
      c.group_id,
      JSON.stringify(c.addresses),
      c.default_billing,
      c.default_shipping,
      c.created_at,
      c.updated_at,
    ],
  );
}

export async function insertProduct(db: Queryable, s: string, p: Product): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.catalog_product_entity (store_key, entity_id, sku, name, type_id, price, special_price, cost, weight,
       tax_class_id, has_stock_item, stock_qty, manage_stock, website_ids, child_id, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
     ON CONFLICT (store_key, entity_id) DO UPDATE SET sku = EXCLUDED.sku, name = EXCLUDED.name, type_id = EXCLUDED.type_id,
       price = EXCLUDED.price, special_price = EXCLUDED.special_price, cost = EXCLUDED.cost, weight = EXCLUDED.weight,
       tax_class_id = EXCLUDED.tax_class_id, has_stock_item = EXCLUDED.has_stock_item, stock_qty = EXCLUDED.stock_qty,
       manage_stock = EXCLUDED.manage_stock, website_ids = EXCLUDED.website_ids, child_id = EXCLUDED.child_id,
       updated_at = EXCLUDED.updated_at`,
    [
      s,
      p.entity_id,
      p.sku,
      p.name,
      p.type_id,
      p.price,
      p.special_price,
      p.cost,
      p.weight,
      p.tax_class_id,
      p.has_stock_item,
      p.stock_qty,
      p.manage_stock,
      p.website_ids,
      p.child_id,
      p.created_at,
      p.updated_at,
    ],
  );
}

export async function insertOrder(db: Queryable, s: string, o: Order): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.sales_order (store_key, entity_id, increment_id, store_id, customer_id, customer_email,
       customer_firstname, customer_lastname, order_currency_code, base_currency_code, base_to_order_rate,
       billing_address, shipping_address, payment, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
    [
      s,
      o.entity_id,
      o.increment_id,
      o.store_id,
      o.customer_id,
      o.customer_email,
      o.customer_firstname,
      o.customer_lastname,
      o.order_currency_code,
      o.base_currency_code,
      o.base_to_order_rate,
      o.billing_address && JSON.stringify(o.billing_address),
      o.shipping_address && JSON.stringify(o.shipping_address),
      o.payment && JSON.stringify(o.payment),
      o.created_at,
      o.updated_at,
    ],
  );
}

export async function insertInvoice(db: Queryable, s: string, i: Invoice): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.sales_invoice (store_key, entity_id, increment_id, order_id, store_id, state, order_currency_code,
       base_currency_code, base_to_order_rate, items, subtotal, tax_amount, shipping_amount, shipping_tax_amount,
       discount_amount, grand_total, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
    [
      s,
      i.entity_id,
      i.increment_id,
      i.order_id,
      i.store_id,
      i.state,
      i.order_currency_code,
      i.base_currency_code,
      i.base_to_order_rate,
      JSON.stringify(i.items),
      i.subtotal,
      i.tax_amount,
      i.shipping_amount,
      i.shipping_tax_amount,
      i.discount_amount,
      i.grand_total,
      i.created_at,
      i.updated_at,
    ],
  );
}

export async function setInvoiceState(db: Queryable, s: string, id: number, state: number, at: Date): Promise<void> {
  await db.query(`UPDATE ${SCHEMA}.sales_invoice SET state = $3, updated_at = $4 WHERE store_key = $1 AND entity_id = $2`, [
    s,
    id,
    state,
    at,
  ]);
}

export async function insertCreditMemo(db: Queryable, s: string, m: CreditMemo): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.sales_creditmemo (store_key, entity_id, increment_id, order_id, invoice_id, store_id,
       order_currency_code, base_currency_code, base_to_order_rate, items, subtotal, tax_amount, shipping_amount,
       shipping_tax_amount, discount_amount, adjustment_positive, adjustment_negative, grand_total, refund_online,
       comments, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
    [
      s,
      m.entity_id,
      m.increment_id,
      m.order_id,
      m.invoice_id,
      m.store_id,
      m.order_currency_code,
      m.base_currency_code,
      m.base_to_order_rate,
      JSON.stringify(m.items),
      m.subtotal,
      m.tax_amount,
      m.shipping_amount,
      m.shipping_tax_amount,
      m.discount_amount,
      m.adjustment_positive,
      m.adjustment_negative,
      m.grand_total,
      m.refund_online,
      JSON.stringify(m.comments),
      m.created_at,
    ],
  );
}

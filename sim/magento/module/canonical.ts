import { formatIsoZ } from "../context.ts";
import type { Queryable } from "../db.ts";
import { ENTITY_NOT_FOUND, ID_REQUIRED, inputError, notFound, PRODUCT_NOT_FOUND } from "../rest/errors.ts";
import * as repo from "../store/repo.ts";
import { STORES, type Customer, type CustomerAddress, type DocItem, type Invoice, type Order, type OrderAddress } from "../store/types.ts";
import { phpJsonEncode, phpRound, type PhpJson } from "./php-json.ts";

/**
 * The module's canonical repositories (wire-protocol §8.4). Objects are built in interface
 * declaration order; nullable getters are `undefined` when null so the encoder omits them.
 */

type Obj = { [key: string]: PhpJson | undefined };
const opt = <T extends PhpJson>(v: T | null | undefined): T | undefined => (v === null || v === undefined || v === "" ? undefined : v);
const iso = (d: Date): string => formatIsoZ(d.getTime());
const websiteOf = (storeId: number): number => STORES[storeId]?.website_id ?? 0;

function address(
  a: Pick<CustomerAddress, "street" | "city" | "region" | "postcode" | "country_id" | "telephone">,
  kind: "billing" | "shipping",
): Obj {
  return {
    kind,
    street: a.street.map(String).filter((s) => s !== ""),
    city: a.city,
    region: opt(a.region),
    postcode: opt(a.postcode),
    country_id: a.country_id,
    telephone: opt(a.telephone),
  };
}

const differentRows = (a: OrderAddress | null, b: OrderAddress | null): boolean =>
  a === null || b === null || a.address_id !== b.address_id;

function orderAddresses(order: Order): Obj[] {
  const out: Obj[] = [];
  if (order.billing_address) out.push(address(order.billing_address, "billing"));
  if (order.shipping_address && differentRows(order.billing_address, order.shipping_address)) {
    out.push(address(order.shipping_address, "shipping"));
  }
  return out;
}

interface ContactParts {
  magento_id: number;
  email: string;
  first_name?: string;
  last_name?: string;
  company?: string;
  phone?: string;
  website_id: number;
  group_id?: number;
  addresses: Obj[];
  created_at?: string;
  updated_at?: string;
}

const contactObj = (c: ContactParts): Obj => ({
  magento_id: c.magento_id,
  email: c.email,
  first_name: c.first_name,
  last_name: c.last_name,
  company: c.company,
  phone: c.phone,
  website_id: c.website_id,
  group_id: c.group_id,
  addresses: c.addresses,
  created_at: c.created_at,
  updated_at: c.updated_at,
});

function primaryPhone(c: Customer): string | undefined {
  const billing = c.addresses.find((a) => c.default_billing !== null && a.id === c.default_billing);
  if (billing) return opt(billing.telephone);
  for (const a of c.addresses) if (opt(a.telephone)) return a.telephone as string;
  return undefined;
}

/** ContactRepository::toCanonical. */
async function customerContact(db: Queryable, storeKey: string, c: Customer): Promise<ContactParts> {
  let addresses: Obj[] = [];
  for (const a of c.addresses) {
    if (c.default_billing !== null && a.id === c.default_billing) addresses.push(address(a, "billing"));
    if (c.default_shipping !== null && a.id === c.default_shipping) addresses.push(address(a, "shipping"));
  }
  let company: string | undefined;
  let phoneFromOrder: string | undefined;
  if (addresses.length === 0) {
    const order = await repo.mostRecentOrder(db, storeKey, c.entity_id);
    if (order) {
      addresses = orderAddresses(order);
      company = opt(order.billing_address?.company);
      phoneFromOrder = opt(order.billing_address?.telephone);
    }
  }
  return {
    magento_id: c.entity_id,
    email: c.email,
    first_name: opt(c.firstname),
    last_name: opt(c.lastname),
    company,
    phone: primaryPhone(c) ?? phoneFromOrder,
    website_id: c.website_id,
    group_id: c.group_id ?? undefined,
    addresses,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
  };
}

/** InvoiceRepository::syntheticGuestContact — magento_id 0, never GET /customer/0. */
function guestContact(order: Order): ContactParts {
  return {
    magento_id: 0,
    email: order.customer_email,
    first_name: opt(order.customer_firstname),
    last_name: opt(order.customer_lastname),
    company: opt(order.billing_address?.company),
    phone: opt(order.billing_address?.telephone),
    website_id: 0,
    addresses: orderAddresses(order),
    created_at: iso(order.created_at),
    updated_at: iso(order.updated_at),
  };
}

/** InvoiceRepository::ensureInvoiceableAddresses — only adds, never overwrites. */
function withOrderAddresses(contact: ContactParts, order: Order): ContactParts {
  const hasBilling = contact.addresses.some((a) => a.kind === "billing");
  const hasShipping = contact.addresses.some((a) => a.kind === "shipping");
  if (hasBilling && hasShipping) return contact;
  const extras: Obj[] = [];
  const billing = order.billing_address;
  const shipping = order.shipping_address;
  if (!hasBilling && billing) extras.push(address(billing, "billing"));
  if (!hasShipping && shipping && differentRows(billing, shipping)) extras.push(address(shipping, "shipping"));
  if (extras.length === 0) return contact;
  return {
    ...contact,
    company: contact.company ?? opt(billing?.company),
    phone: contact.phone ?? opt(billing?.telephone),
    addresses: [...contact.addresses, ...extras],
  };
}

async function resolveCustomer(db: Queryable, storeKey: string, order: Order, enrich: boolean): Promise<ContactParts> {
  if (order.customer_id !== null && order.customer_id > 0) {
    const customer = await repo.getCustomer(db, storeKey, order.customer_id);
    if (customer) {
      const contact = await customerContact(db, storeKey, customer);
      return enrich ? withOrderAddresses(contact, order) : contact;
    }
  }
  return guestContact(order);
}

export function canonicalLine(item: DocItem): Obj {
  const rowTotal = item.row_total;
  const tax = item.tax_amount;
  return {
    sku: item.sku,
    name: item.name,
    qty: item.qty,
    unit_price: item.price,
    line_subtotal: rowTotal,
    line_tax: tax,
    line_total: rowTotal + tax - item.discount_amount,
    tax_rate: rowTotal > 0 && tax > 0 ? phpRound(tax / rowTotal, 4) : undefined,
    tax_class: undefined,
    product_type: opt(item.product_type),
  };
}

/** Magento's sales repositories: id 0 → 400, unknown → 404. */
async function loadInvoice(db: Queryable, storeKey: string, id: number): Promise<Invoice> {
  if (!id) throw inputError(ID_REQUIRED);
  const invoice = await repo.getInvoice(db, storeKey, id);
  if (!invoice) throw notFound(ENTITY_NOT_FOUND);
  return invoice;
}

async function loadOrder(db: Queryable, storeKey: string, id: number): Promise<Order> {
  if (!id) throw inputError(ID_REQUIRED);
  const order = await repo.getOrder(db, storeKey, id);
  if (!order) throw notFound(ENTITY_NOT_FOUND);
  return order;
}

const STATES: Record<number, string> = { 1: "open", 2: "paid", 3: "cancelled" };

export async function canonicalInvoice(db: Queryable, storeKey: string, id: number): Promise<Obj> {
  const invoice = await loadInvoice(db, storeKey, id);
  const order = await loadOrder(db, storeKey, invoice.order_id);
  const customer = await resolveCustomer(db, storeKey, order, true);
  return {
    magento_id: invoice.entity_id,
    increment_id: invoice.increment_id,
    order_id: order.entity_id,
    order_increment_id: order.increment_id,
    website_id: websiteOf(invoice.store_id),
    store_id: invoice.store_id,
    currency: invoice.order_currency_code || invoice.base_currency_code || order.order_currency_code,
    state: STATES[invoice.state] ?? "open",
    customer: contactObj(customer),
    lines: invoice.items.map(canonicalLine),
    subtotal: invoice.subtotal,
    tax_amount: invoice.tax_amount,
    shipping_amount: invoice.shipping_amount,
    shipping_tax_amount: invoice.shipping_tax_amount,
    discount_amount: invoice.discount_amount,
    grand_total: invoice.grand_total,
    created_at: iso(invoice.created_at),
    payment_method: opt(order.payment?.method),
    billing_address: order.billing_address ? address(order.billing_address, "billing") : undefined,
    shipping_address: order.shipping_address ? address(order.shipping_address, "shipping") : undefined,
    po_number: opt(order.payment?.po_number),
    base_to_order_rate: invoice.base_to_order_rate ?? undefined,
  };
}

export async function canonicalContact(db: Queryable, storeKey: string, id: number): Promise<Obj> {
  const customer = id ? await repo.getCustomer(db, storeKey, id) : null;
  if (!customer) throw notFound("No such entity with %fieldName = %fieldValue", { fieldName: "customerId", fieldValue: id });
  return contactObj(await customerContact(db, storeKey, customer));
}

export async function canonicalCreditMemo(db: Queryable, storeKey: string, id: number): Promise<Obj> {
  if (!id) throw inputError(ID_REQUIRED);
  const memo = await repo.getCreditMemo(db, storeKey, id);
  if (!memo) throw notFound(ENTITY_NOT_FOUND);
  let invoiceId: number | undefined;
  let invoiceIncrementId: string | undefined;
  let invoiceCreatedAt: string | undefined;
  if (memo.invoice_id !== null && memo.invoice_id > 0) {
    const invoice = await loadInvoice(db, storeKey, memo.invoice_id);
    invoiceId = memo.invoice_id;
    invoiceIncrementId = invoice.increment_id;
    invoiceCreatedAt = iso(invoice.created_at);
  }
  const order = await loadOrder(db, storeKey, memo.order_id);
  return {
    magento_id: memo.entity_id,
    increment_id: memo.increment_id,
    invoice_id: invoiceId,
    invoice_increment_id: invoiceIncrementId,
    website_id: websiteOf(memo.store_id),
    currency: memo.order_currency_code || memo.base_currency_code || order.order_currency_code,
    customer: contactObj(await resolveCustomer(db, storeKey, order, false)),
    lines: memo.items.map(canonicalLine),
    adjustment_positive: memo.adjustment_positive,
    adjustment_negative: memo.adjustment_negative,
    grand_total: memo.grand_total,
    shipping_amount: memo.shipping_amount,
    shipping_tax_amount: memo.shipping_tax_amount,
    reason: opt(memo.comments.find((c) => c !== "")),
    created_at: iso(memo.created_at),
    invoice_created_at: invoiceCreatedAt,
    base_to_order_rate: memo.base_to_order_rate ?? undefined,
  };
}

/**
 * `additional_information` through Magento's TypeCaster: keys dropped, nested arrays JSON-encoded to
 * strings (wire-protocol §8.1).
 */
export function gatewayMetadataWire(info: Record<string, unknown>): PhpJson[] {
  return Object.values(info).map((v): PhpJson => {
    if (v !== null && typeof v === "object") return phpJsonEncode(v as PhpJson, { unescapedSlashes: false });
    return v as PhpJson;
  });
}

export async function canonicalPayment(db: Queryable, storeKey: string, id: number): Promise<Obj> {
  const invoice = await loadInvoice(db, storeKey, id);
  const order = await loadOrder(db, storeKey, invoice.order_id);
  if (!order.payment) throw notFound("Invoice %1 has no associated order payment.", [id]);
  return {
    magento_id: invoice.entity_id,
    invoice_id: invoice.entity_id,
    invoice_increment_id: invoice.increment_id,
    method: order.payment.method,
    currency: invoice.order_currency_code || invoice.base_currency_code || order.order_currency_code,
    amount: invoice.grand_total,
    captured_at: iso(invoice.created_at),
    gateway_txn_id: opt(order.payment.last_trans_id),
    gateway_metadata: gatewayMetadataWire(order.payment.additional_information),
  };
}

export async function canonicalProduct(db: Queryable, storeKey: string, id: number): Promise<Obj> {
  const p = id ? await repo.getProduct(db, storeKey, id) : null;
  if (!p) throw notFound(PRODUCT_NOT_FOUND);
  return {
    magento_id: p.entity_id,
    sku: p.sku,
    name: p.name,
    product_type: p.type_id,
    price: p.price ?? undefined,
    special_price: p.special_price ?? undefined,
    cost: p.cost ?? undefined,
    weight: p.weight ?? undefined,
    stock_qty: p.has_stock_item && p.stock_qty !== null ? p.stock_qty : undefined,
    manage_stock: p.has_stock_item ? p.manage_stock : false,
    tax_class: String(p.tax_class_id),
    website_ids: p.website_ids,
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  };
}

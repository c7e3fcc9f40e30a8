import { nextId, withTransaction, type Queryable } from "../db.ts";
import type { SimContext } from "../context.ts";
import { observeEvent } from "../module/outbox.ts";
import { AdminError } from "./catalog.ts";
import { paymentMethod } from "./payment-methods.ts";
import { basePriceOf, buildItems, documentTotals, refundItems, round2, shippingTaxFor, type LineRequest } from "./pricing.ts";
import * as repo from "./repo.ts";
import {
  BASE_CURRENCY,
  BUSINESS_COUNTRY,
  DEFAULT_RATES,
  INVOICE_STATE,
  STORES,
  TAX_CLASSES,
  type AddressData,
  type CreditMemo,
  type Invoice,
  type Order,
  type OrderPayment,
} from "./types.ts";

/** Orders with their invoice, payments and credit memos — and the observers each save fires. */

export interface OrderLineInput {
  product_id: number;
  qty: number;
  /** Unit price in the base currency (GBP); defaults to the catalogue price. */
  price?: number;
  tax_percent?: number;
  discount_percent?: number;
}

export interface OrderInput {
  customer_id?: number | null;
  guest?: { email: string; firstname?: string | null; lastname?: string | null };
  store_id?: number;
  currency?: string;
  base_to_order_rate?: number;
  billing: AddressData;
  /** Omitted → same details as billing (still its own order address row, as in Magento). */
  shipping?: AddressData | null;
  lines: OrderLineInput[];
  discount_percent?: number;
  /** Catalogue prices include tax (Magento's "Catalog Prices: Including Tax"): tax is backed out. */
  prices_include_tax?: boolean;
  shipping_amount?: number;
  shipping_tax_percent?: number;
  /** null → an order without a payment row. */
  payment_method?: string | null;
  po_number?: string | null;
  invoice_state?: "open" | "paid";
  created_at?: Date;
}

const incrementId = (storeId: number, n: number): string => `${storeId === 1 ? "" : storeId}${String(n).padStart(9, "0")}`;
const nowDate = (ctx: SimContext): Date => new Date(Math.floor(ctx.nowMs() / 1000) * 1000);

function buildPayment(code: string, incrementIdValue: string, poNumber: string | null | undefined): OrderPayment {
  const def = paymentMethod(code);
  const info: Record<string, unknown> = { method_title: def?.title.trim() || code };
  let txn: string | null = null;
  if (def?.online) {
    txn = `${code === "paypal_express" ? "PAY" : "ch"}_${incrementIdValue}`;
    info.cc_type = "VI";
    info.cc_last4 = "4242";
    info.three_d_secure = { liability_shifted: true, status: "Y" };
  }
  return {
    method: code,
    po_number: code === "purchaseorder" ? (poNumber ?? `PO-${incrementIdValue}`) : (poNumber ?? null),
    last_trans_id: txn,
    additional_information: info,
  };
}

async function invoiceEvent(ctx: SimContext, db: Queryable, name: "invoice.created" | "invoice.paid", inv: Invoice): Promise<void> {
  const payload =
    name === "invoice.created"
      ? { increment_id: inv.increment_id, paid: inv.state === INVOICE_STATE.paid }
      : { increment_id: inv.increment_id };
  await observeEvent(
    ctx,
    db,
    name,
    { magento_entity_id: inv.entity_id, website_id: STORES[inv.store_id]?.website_id ?? 0, store_id: inv.store_id, payload },
    `${name}:${inv.entity_id}`,
  );
}

export async function createOrder(ctx: SimContext, input: OrderInput): Promise<{ order: Order; invoice: Invoice }> {
  const storeId = input.store_id ?? 1;
  if (!STORES[storeId]) throw new AdminError(400, `unknown store_id ${storeId}`);
  const currency = (input.currency ?? BASE_CURRENCY).toUpperCase();
  const rate = input.base_to_order_rate ?? DEFAULT_RATES[currency];
  if (!rate || rate <= 0) throw new AdminError(400, `no base_to_order_rate for ${currency}`);
  if (input.lines.length === 0) throw new AdminError(400, "an order needs at least one line");
  const method = input.payment_method === undefined ? "checkmo" : input.payment_method;
  if (method !== null && !paymentMethod(method)) throw new AdminError(400, `unknown payment method ${method}`);
  const domestic = input.billing.country_id.toUpperCase() === BUSINESS_COUNTRY;

  return withTransaction(ctx.pool, async (db) => {
    let customer = null;
    if (input.customer_id) {
      customer = await repo.getCustomer(db, ctx.storeKey, input.customer_id);
      if (!customer) throw new AdminError(404, `customer ${input.customer_id} not found`);
    } else if (!input.guest) throw new AdminError(400, "either customer_id or guest is required");

    const lineRequests: LineRequest[] = [];
    for (const l of input.lines) {
      const product = await repo.getProduct(db, ctx.storeKey, l.product_id);
      if (!product) throw new AdminError(404, `product ${l.product_id} not found`);
      const child = product.child_id !== null ? await repo.getProduct(db, ctx.storeKey, product.child_id) : null;
      const priced = product.type_id === "configurable" && child && product.price === null ? child : product;
      lineRequests.push({
        product,
        child,
        qty: l.qty,
        basePrice: l.price ?? basePriceOf(priced),
        taxPercent: l.tax_percent ?? (domestic ? (TAX_CLASSES[product.tax_class_id]?.percent ?? 20) : 0),
        discountPercent: l.discount_percent ?? input.discount_percent ?? 0,
      });
    }
    const items = buildItems(lineRequests, rate, input.prices_include_tax ?? false);
    const physical = lineRequests.some((l) => l.product.type_id === "simple" || l.product.type_id === "configurable");
    const shipping = physical ? round2(input.shipping_amount ?? 0) : 0;
    const shippingTax = shippingTaxFor(shipping, input.shipping_tax_percent ?? (domestic ? 20 : 0));
    const totals = documentTotals(items, shipping, shippingTax);

    const created = input.created_at ?? nowDate(ctx);
    const orderId = await nextId(db, ctx.storeKey, "order");
    const orderIncrement = incrementId(storeId, await nextId(db, ctx.storeKey, `order_increment_${storeId}`));
    const billingId = await nextId(db, ctx.storeKey, "order_address");
    const person = {
      firstname: customer?.firstname ?? input.guest?.firstname ?? null,
      lastname: customer?.lastname ?? input.guest?.lastname ?? null,
    };
    const billing = { ...person, ...input.billing, address_id: billingId };
    const shippingAddress = physical
      ? { ...person, ...(input.shipping ?? input.billing), address_id: await nextId(db, ctx.storeKey, "order_address") }
      : null;
    const order: Order = {
      entity_id: orderId,
      increment_id: orderIncrement,
      store_id: storeId,
      customer_id: customer?.entity_id ?? null,
      customer_email: customer?.email ?? input.guest!.email,
      customer_firstname: person.firstname,
      customer_lastname: person.lastname,
      order_currency_code: currency,
      base_currency_code: BASE_CURRENCY,
      base_to_order_rate: rate,
      billing_address: billing,
      shipping_address: shippingAddress,
      payment: method === null ? null : buildPayment(method, orderIncrement, input.po_number),
      created_at: created,
      updated_at: created,
    };
    await repo.insertOrder(db, ctx.storeKey, order);

    const online = method !== null && (paymentMethod(method)?.online ?? false);
    const state = INVOICE_STATE[input.invoice_state ?? (online ? "paid" : "open")];
    const invoice: Invoice = {
      entity_id: await nextId(db, ctx.storeKey, "invoice"),
      increment_id: incrementId(storeId, await nextId(db, ctx.storeKey, `invoice_increment_${storeId}`)),
      order_id: orderId,
      store_id: storeId,
      state,
      order_currency_code: currency,
      base_currency_code: BASE_CURRENCY,
      base_to_order_rate: rate,
      items,
      ...totals,
      created_at: created,
      updated_at: created,
    };
    await repo.insertInvoice(db, ctx.storeKey, invoice);
    // Observer declaration order: created first, then paid for a capture-online save.
    await invoiceEvent(ctx, db, "invoice.created", invoice);
    if (state === INVOICE_STATE.paid) await invoiceEvent(ctx, db, "invoice.paid", invoice);
    return { order, invoice };
  });
}

/** Capture offline: OPEN → PAID fires invoice.paid (only on the transition). */
export async function payInvoice(ctx: SimContext, id: number): Promise<Invoice> {
  return withTransaction(ctx.pool, async (db) => {
    const invoice = await repo.getInvoice(db, ctx.storeKey, id);
    if (!invoice) throw new AdminError(404, `invoice ${id} not found`);
    if (invoice.state !== INVOICE_STATE.open) throw new AdminError(409, `invoice ${id} is not open`);
    const paid = { ...invoice, state: INVOICE_STATE.paid, updated_at: nowDate(ctx) };
    await repo.setInvoiceState(db, ctx.storeKey, id, paid.state, paid.updated_at);
    await invoiceEvent(ctx, db, "invoice.paid", paid);
    return paid;
  });
}

/** Cancelling fires nothing: the created observer only runs on the first save, paid only on PAID. */
export async function cancelInvoice(ctx: SimContext, id: number): Promise<Invoice> {
  const invoice = await repo.getInvoice(ctx.pool, ctx.storeKey, id);
  if (!invoice) throw new AdminError(404, `invoice ${id} not found`);
  if (invoice.state !== INVOICE_STATE.open) throw new AdminError(409, `invoice ${id} is not open`);
  const at = nowDate(ctx);
  await repo.setInvoiceState(ctx.pool, ctx.storeKey, id, INVOICE_STATE.cancelled, at);
  return { ...invoice, state: INVOICE_STATE.cancelled, updated_at: at };
}

export interface CreditMemoInput {
  invoice_id: number;
  /** Per invoice line index (parents/simple lines only); omitted → everything still refundable. */
  lines?: { index: number; qty: number }[];
  /** Omitted → the shipping not yet refunded on a full refund, 0 on a partial one. */
  shipping_amount?: number;
  adjustment_positive?: number;
  adjustment_negative?: number;
  refund?: "online" | "offline";
  /** Offline refunds are raised from the order (invoice_id null) unless this is true. */
  link_invoice?: boolean;
  comment?: string | null;
  created_at?: Date;
}

export async function createCreditMemo(ctx: SimContext, input: CreditMemoInput): Promise<CreditMemo> {
  return withTransaction(ctx.pool, async (db) => {
    const invoice = await repo.getInvoice(db, ctx.storeKey, input.invoice_id);
    if (!invoice) throw new AdminError(404, `invoice ${input.invoice_id} not found`);
    if (invoice.state === INVOICE_STATE.cancelled) throw new AdminError(409, "cannot refund a cancelled invoice");
    const order = (await repo.getOrder(db, ctx.storeKey, invoice.order_id))!;
    const online = order.payment !== null && (paymentMethod(order.payment.method)?.online ?? false);
    const refund = input.refund ?? (online ? "online" : "offline");
    if (refund === "online" && (!online || invoice.state !== INVOICE_STATE.paid)) {
      throw new AdminError(400, "an online refund needs a paid invoice captured by an online payment method");
    }

    const previous = await repo.creditMemosForOrder(db, ctx.storeKey, order.entity_id);
    const refundedQty = new Map<string, number>();
    let refundedShipping = 0;
    for (const m of previous) {
      refundedShipping += m.shipping_amount;
      for (const it of m.items)
        if (it.parent_index === null)
          refundedQty.set(`${it.product_id}:${it.sku}`, (refundedQty.get(`${it.product_id}:${it.sku}`) ?? 0) + it.qty);
    }
    const remaining = (index: number) => {
      const it = invoice.items[index];
      return it.qty - (refundedQty.get(`${it.product_id}:${it.sku}`) ?? 0);
    };
    const qtys = new Map<number, number>();
    if (input.lines) {
      for (const l of input.lines) {
        const it = invoice.items[l.index];
        if (!it || it.parent_index !== null) throw new AdminError(400, `invoice line ${l.index} cannot be refunded directly`);
        if (l.qty > remaining(l.index)) throw new AdminError(400, `line ${l.index}: only ${remaining(l.index)} left to refund`);
        qtys.set(l.index, l.qty);
      }
    } else {
      invoice.items.forEach((it, i) => {
        if (it.parent_index === null && remaining(i) > 0) qtys.set(i, remaining(i));
      });
    }
    const items = refundItems(invoice.items, qtys);
    const shipping = round2(input.shipping_amount ?? (input.lines ? 0 : Math.max(0, invoice.shipping_amount - refundedShipping)));
    const shippingTax = invoice.shipping_amount > 0 ? round2((invoice.shipping_tax_amount * shipping) / invoice.shipping_amount) : 0;
    const adjPos = round2(input.adjustment_positive ?? 0);
    const adjNeg = round2(input.adjustment_negative ?? 0);
    if (items.length === 0 && shipping === 0 && adjPos === 0) throw new AdminError(400, "nothing to refund");

    const memo: CreditMemo = {
      entity_id: await nextId(db, ctx.storeKey, "creditmemo"),
      increment_id: incrementId(invoice.store_id, await nextId(db, ctx.storeKey, `creditmemo_increment_${invoice.store_id}`)),
      order_id: order.entity_id,
      invoice_id: refund === "online" || input.link_invoice ? invoice.entity_id : null,
      store_id: invoice.store_id,
      order_currency_code: invoice.order_currency_code,
      base_currency_code: invoice.base_currency_code,
      base_to_order_rate: invoice.base_to_order_rate,
      items,
      ...documentTotals(items, shipping, shippingTax, adjPos, adjNeg),
      adjustment_positive: adjPos,
      adjustment_negative: adjNeg,
      refund_online: refund === "online",
      comments: input.comment ? [input.comment] : [],
      created_at: input.created_at ?? nowDate(ctx),
    };
    await repo.insertCreditMemo(db, ctx.storeKey, memo);
    await observeEvent(
      ctx,
      db,
      "creditmemo.created",
      {
        magento_entity_id: memo.entity_id,
        website_id: STORES[memo.store_id]?.website_id ?? 0,
        store_id: memo.store_id,
        payload: { increment_id: memo.increment_id },
      },
      `creditmemo.created:${memo.entity_id}`,
    );
    return memo;
  });
}

import type { z } from "zod";
import type { SimContext } from "../context.ts";
import { publishEvent } from "../module/outbox.ts";
import { sampleAddress } from "../store/addresses.ts";
import { AdminError, createCustomer, createProduct } from "../store/catalog.ts";
import * as repo from "../store/repo.ts";
import { createCreditMemo, createOrder } from "../store/sales.ts";
import { INVOICE_STATE, STORES, type AddressData } from "../store/types.ts";
import type { addressSchema, creditMemoSchema, customerSchema, invoiceSyncSchema, orderSchema, productSchema } from "./schemas.ts";

/** Turns validated admin input into store actions (shared by the JSON API, the forms and the generator). */

type AddressIn = z.infer<typeof addressSchema>;

function toAddress(a: AddressIn): AddressData {
  return {
    firstname: a.firstname ?? null,
    lastname: a.lastname ?? null,
    company: a.company ?? null,
    street: a.street,
    city: a.city,
    region: a.region ?? null,
    postcode: a.postcode ?? null,
    country_id: a.country_id,
    telephone: a.telephone ?? null,
  };
}

export async function adminCreateCustomer(ctx: SimContext, input: z.infer<typeof customerSchema>) {
  let addresses = input.addresses?.map((a) => ({
    ...toAddress(a),
    default_billing: a.default_billing,
    default_shipping: a.default_shipping,
  }));
  if (!addresses && !input.no_addresses) {
    const person = { firstname: input.firstname, lastname: input.lastname, company: input.company };
    addresses = [{ ...sampleAddress(input.country ?? "GB", 0, person), default_billing: true, default_shipping: true }];
  }
  return createCustomer(ctx, {
    email: input.email,
    firstname: input.firstname,
    lastname: input.lastname,
    website_id: input.website_id,
    group_id: input.group_id,
    addresses: addresses ?? [],
    created_at: input.created_at,
  });
}

export function adminCreateProduct(ctx: SimContext, input: z.infer<typeof productSchema>) {
  return createProduct(ctx, {
    ...input,
    child: input.child,
    price: input.price ?? null,
  });
}

export async function adminCreateOrder(ctx: SimContext, input: z.infer<typeof orderSchema>) {
  const customer = input.customer_id ? await repo.getCustomer(ctx.pool, ctx.storeKey, input.customer_id) : null;
  if (input.customer_id && !customer) throw new AdminError(404, `customer ${input.customer_id} not found`);
  const person = {
    firstname: customer?.firstname ?? input.guest?.firstname,
    lastname: customer?.lastname ?? input.guest?.lastname,
    company: input.guest?.company,
  };
  let billing: AddressData;
  if (input.billing) billing = toAddress(input.billing);
  else if (input.country) billing = sampleAddress(input.country, input.customer_id ?? 0, person);
  else {
    const saved = customer?.addresses.find((a) => a.id === customer.default_billing) ?? customer?.addresses[0];
    if (saved) {
      const { id: _unused, ...rest } = saved;
      void _unused;
      billing = rest;
    } else billing = sampleAddress("GB", 0, person);
  }
  const products = input.lines.some((l) => !l.product_id) ? await repo.listProducts(ctx.pool, ctx.storeKey) : [];
  const lines = input.lines.map((l) => {
    const productId = l.product_id ?? products.find((p) => p.sku === l.sku)?.entity_id;
    if (!productId) throw new AdminError(404, `product ${l.sku ?? "?"} not found`);
    return { ...l, product_id: productId };
  });
  return createOrder(ctx, {
    customer_id: input.customer_id ?? null,
    guest: input.guest,
    store_id: input.store_id,
    currency: input.currency,
    base_to_order_rate: input.base_to_order_rate,
    billing,
    shipping: input.shipping ? toAddress(input.shipping) : undefined,
    lines,
    discount_percent: input.discount_percent,
    prices_include_tax: input.prices_include_tax,
    shipping_amount: input.shipping_amount,
    shipping_tax_percent: input.shipping_tax_percent,
    payment_method: input.payment_method,
    po_number: input.po_number,
    invoice_state: input.invoice_state,
    created_at: input.created_at,
  });
}

export function adminCreateCreditMemo(ctx: SimContext, input: z.infer<typeof creditMemoSchema>) {
  return createCreditMemo(ctx, { ...input, comment: input.comment ?? null });
}

/**
 * `bin/magento byte8:sage:invoice:sync`: re-sends the envelopes synchronously (fresh occurred_at,
 * same keys), bypassing outbox dedupe. The only way to push invoices raised before pairing.
 */
export async function adminInvoiceSync(ctx: SimContext, input: z.infer<typeof invoiceSyncSchema>) {
  const all = await repo.listInvoices(ctx.pool, ctx.storeKey);
  const wanted = input.all ? all : all.filter((i) => input.ids?.includes(i.entity_id));
  const results = [];
  for (const inv of wanted) {
    if (input.state !== "any" && inv.state !== INVOICE_STATE[input.state]) continue;
    const events = input.event === "both" ? (["created", "paid"] as const) : [input.event];
    for (const e of events) {
      const name = `invoice.${e}`;
      const payload =
        e === "created" ? { increment_id: inv.increment_id, paid: inv.state === INVOICE_STATE.paid } : { increment_id: inv.increment_id };
      const env = { magento_entity_id: inv.entity_id, website_id: STORES[inv.store_id]?.website_id ?? 0, store_id: inv.store_id, payload };
      const { outcome, syncRunId } = await publishEvent(ctx, name, env, `${name}:${inv.entity_id}`);
      results.push({
        invoice_id: inv.entity_id,
        event: name,
        outcome: outcome.kind,
        status: "status" in outcome ? outcome.status : null,
        sync_run_id: syncRunId,
      });
    }
  }
  return results;
}

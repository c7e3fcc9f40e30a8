import type { z } from "zod";
import type { generateSchema } from "./admin/schemas.ts";
import { adminCreateCreditMemo, adminCreateCustomer, adminCreateOrder, adminCreateProduct } from "./admin/service.ts";
import type { SimContext } from "./context.ts";
import { EU_COUNTRIES } from "./store/addresses.ts";
import { payInvoice } from "./store/sales.ts";
import type { Customer, Product } from "./store/types.ts";

/**
 * Deterministic seeded demo data: the same seed and anchor give the same store. Covers companies and
 * guests, UK / EU / non-EU addresses, GBP / EUR / USD, 20 / 5 / 0 % tax, discounts, shipping,
 * zero-value invoices, online and offline payments, open and paid invoices, full and partial refunds.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CUSTOMERS = [
  { firstname: "Jo", lastname: "Bloggs", company: null, country: "GB", group_id: 1 },
  { firstname: "Priya", lastname: "Shah", company: "Acme Widgets Ltd", country: "GB", group_id: 2 },
  { firstname: "Élodie", lastname: "Moreau", company: "Brasserie Lumière SARL", country: "FR", group_id: 2 },
  { firstname: "Jürgen", lastname: "Müller", company: "Müller Feinkost GmbH", country: "DE", group_id: 2 },
  { firstname: "Sam", lastname: "Carter", company: "Harbour Tech Inc.", country: "US", group_id: 2 },
  { firstname: "Siobhán", lastname: "Kelly", company: null, country: "IE", group_id: 1 },
  { firstname: "Lukas", lastname: "Meier", company: null, country: "CH", group_id: 1 },
  { firstname: "Ingrid", lastname: "Berg", company: "Nordlys AS", country: "NO", group_id: 2 },
  { firstname: "Tom", lastname: "Nguyen", company: null, country: "GB", group_id: 1, no_addresses: true },
  { firstname: "Ana", lastname: "García", company: null, country: "ES", group_id: 1 },
];

const PRODUCTS = [
  { sku: "MB01", name: "Leather Messenger Bag", type_id: "simple", price: 34, cost: 12.5, weight: 1.2, tax_class_id: 2 },
  { sku: "MUG-CC", name: "Café Crème Mug", type_id: "simple", price: 8.5, cost: 2.1, weight: 0.4, tax_class_id: 2 },
  {
    sku: "LAMP-4060",
    name: "Desk Lamp 40W/60W",
    type_id: "simple",
    price: 49.99,
    special_price: 39.99,
    cost: 18,
    weight: 2.5,
    tax_class_id: 2,
  },
  { sku: "CS-01", name: "Child Car Seat", type_id: "simple", price: 89.99, cost: 40, weight: 6, tax_class_id: 5 },
  { sku: "ENERGY-SAVER", name: "Loft Insulation Roll", type_id: "simple", price: 24, cost: 11, weight: 8, tax_class_id: 5 },
  { sku: "BK-101", name: "Field Guide to Birds", type_id: "simple", price: 12.5, cost: 4, weight: 0.6, tax_class_id: 6 },
  { sku: "SRV-INSTALL", name: "Installation Service", type_id: "virtual", price: 60, tax_class_id: 2 },
  { sku: "EB-001", name: "E-book: Bookkeeping Basics", type_id: "downloadable", price: 9.99, tax_class_id: 6 },
  {
    sku: "HOOD",
    name: "Classic Hoodie",
    type_id: "configurable",
    tax_class_id: 2,
    weight: 0.8,
    child: { sku: "HOOD-BLU-L", name: "Classic Hoodie Blue L", price: 45 },
  },
  {
    sku: "TEE",
    name: "Organic Tee",
    type_id: "configurable",
    tax_class_id: 2,
    weight: 0.3,
    child: { sku: "TEE-WHT-M", name: "Organic Tee White M", price: 19.5 },
  },
  { sku: "GIFT-WRAP", name: "Gift Wrap", type_id: "simple", price: 3, cost: 0.5, weight: 0.1, tax_class_id: 2 },
  { sku: "SUB-PRO", name: "Pro Support (12 months)", type_id: "virtual", price: 199, tax_class_id: 2 },
] as const;

const OFFLINE = ["checkmo", "banktransfer", "purchaseorder"];
const ONLINE = ["braintree", "paypal_express", "stripe_payments"];
const GUEST_COUNTRIES = ["GB", "GB", "GB", "FR", "DE", "NL", "US", "AU"];

export interface GenerateSummary {
  customers: number;
  products: number;
  orders: number;
  paid_later: number;
  credit_memos: number;
}

export async function generate(ctx: SimContext, input: z.infer<typeof generateSchema>): Promise<GenerateSummary> {
  const rnd = mulberry32(input.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const anchor = input.anchor ?? new Date(Math.floor(ctx.nowMs() / 86400_000) * 86400_000);
  const nCustomers = input.customers ?? CUSTOMERS.length;
  const nProducts = Math.min(input.products ?? PRODUCTS.length, PRODUCTS.length);
  const nOrders = input.orders ?? 30;
  const earliest = anchor.getTime() - 30 * 86400_000;

  const customers: { c: Customer; country: string; company: string | null }[] = [];
  for (let i = 0; i < nCustomers; i++) {
    const t = CUSTOMERS[i % CUSTOMERS.length];
    const round = Math.floor(i / CUSTOMERS.length);
    const email = `${t.firstname
      .normalize("NFD")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase()}.${t.lastname
      .normalize("NFD")
      .replace(/[^A-Za-z]/g, "")
      .toLowerCase()}${round || ""}@example.com`;
    const c = await adminCreateCustomer(ctx, {
      email,
      firstname: t.firstname,
      lastname: t.lastname,
      company: t.company,
      country: t.country,
      group_id: t.group_id,
      no_addresses: "no_addresses" in t ? t.no_addresses : undefined,
      created_at: new Date(earliest - (nCustomers - i) * 86400_000),
    });
    customers.push({ c, country: t.country, company: t.company });
  }

  const products: Product[] = [];
  for (let i = 0; i < nProducts; i++) {
    const p = PRODUCTS[i];
    products.push(await adminCreateProduct(ctx, { ...p, created_at: new Date(earliest - 40 * 86400_000) }));
  }
  if (products.length === 0 || nOrders === 0)
    return { customers: customers.length, products: products.length, orders: 0, paid_later: 0, credit_memos: 0 };

  let paidLater = 0;
  let memos = 0;
  for (let i = 0; i < nOrders; i++) {
    const guest = customers.length === 0 || rnd() < 0.25;
    const who = guest ? null : pick(customers);
    const country = who ? who.country : pick(GUEST_COUNTRIES);
    const domestic = country === "GB";
    const currency = domestic
      ? rnd() < 0.1
        ? "EUR"
        : "GBP"
      : EU_COUNTRIES.has(country)
        ? rnd() < 0.8
          ? "EUR"
          : "GBP"
        : country === "US"
          ? "USD"
          : pick(["GBP", "EUR", "USD"]);
    const zeroValue = rnd() < 0.07;
    const method = zeroValue ? "free" : who?.company && rnd() < 0.4 ? "purchaseorder" : rnd() < 0.5 ? pick(ONLINE) : pick(OFFLINE);
    const lineCount = 1 + Math.floor(rnd() * 3);
    const lines = Array.from({ length: lineCount }, () => ({ product_id: pick(products).entity_id, qty: 1 + Math.floor(rnd() * 3) }));
    const created = new Date(earliest + Math.floor(((i + rnd()) / nOrders) * 30 * 86400_000));
    const { invoice } = await adminCreateOrder(ctx, {
      customer_id: who?.c.entity_id ?? null,
      guest: guest
        ? {
            email: `guest${i + 1}@example.net`,
            firstname: "Guest",
            lastname: `Buyer ${i + 1}`,
            company: rnd() < 0.3 ? "Pop-up Shop Ltd" : null,
          }
        : undefined,
      country: guest || rnd() < 0.2 ? country : undefined,
      currency,
      lines,
      discount_percent: zeroValue ? 100 : rnd() < 0.2 ? 10 : 0,
      shipping_amount: zeroValue ? 0 : pick([0, 4.99, 9.99]),
      payment_method: method,
      invoice_state: ONLINE.includes(method) ? "paid" : rnd() < 0.4 ? "paid" : "open",
      created_at: created,
    });
    if (invoice.state === 1 && rnd() < 0.3) {
      await payInvoice(ctx, invoice.entity_id);
      paidLater++;
    }
    if (invoice.grand_total > 0 && rnd() < 0.15) {
      const online = ONLINE.includes(method);
      const partial = rnd() < 0.5;
      await adminCreateCreditMemo(ctx, {
        invoice_id: invoice.entity_id,
        lines: partial ? [{ index: 0, qty: 1 }] : undefined,
        refund: online && invoice.state === 2 ? "online" : "offline",
        adjustment_negative: partial && rnd() < 0.5 ? 2 : undefined,
        comment: partial ? "Item returned damaged" : "Customer cancelled — full refund",
        created_at: new Date(created.getTime() + 3 * 86400_000),
      });
      memos++;
    }
  }
  return { customers: customers.length, products: products.length, orders: nOrders, paid_later: paidLater, credit_memos: memos };
}

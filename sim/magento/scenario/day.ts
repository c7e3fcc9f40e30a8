import type { CustomerInput, InvoiceRow, MagentoAdmin, OrderInput, ProductInput, SageAdmin } from "./clients.ts";

/**
 * A day at a small UK shop, as beats a presenter can narrate. Each beat does what a shop does in
 * Magento (through the simulator's admin API) and says what Ledger should make of it. Together they
 * produce every chip: ✓ synced documents and payments, ⏸ skips for three policy reasons, ✗ one
 * failure the presenter fixes in Settings, and ⏳ a payment that waits for that invoice.
 *
 * The failure (a real Sage validation error, fixed with a setting): long ago the shop's accountant
 * created a "Web Sales (EUR)" contact with reference WEBSALESE in Sage by hand and later deleted it.
 * Sage keeps a deleted contact's reference reserved. When the first EUR guest order is consolidated
 * onto the B2C fallback contact, Ledger finds no such customer and creates WEBSALESE, and Sage
 * answers 422 RecordInvalid `reference: has already been taken` → ✗ Failed (error class
 * `provider`: Sage refused the payload on its own rules); the invoice's payment ⏳ waits for it.
 * Fix: Settings → B2C consolidation → Fallback contact reference, e.g. WEBSHOP; save; Retry →
 * ✓ Synced on a new contact WEBSHOPE, and the waiting payment follows.
 */

/** The policy the demo seed saves has `sync_since` = this instant; the old order predates it. */
export const DEMO_SYNC_SINCE = "2024-04-01T00:00:00Z";
/** The demo's B2C fallback contact reference (Sage adds E for the EUR contact); see the failure above. */
export const DEMO_FALLBACK_REFERENCE = "WEBSALES";
/** The emulator's two seeded businesses: whichever the store's Ledger binding posts to. */
const SAGE_BUSINESSES = ["4d1c2a6b8f3e4a0c9b7d5e1f2a3b4c5d", "7e2f9c1d3b5a4e6f8091a2b3c4d5e6f7"];
const PRE_CUTOVER_DATE = "2024-03-28T10:15:00Z";

export const CATALOGUE: ProductInput[] = [
  { sku: "MB01", name: "Leather Messenger Bag", type_id: "simple", price: 34, tax_class_id: 2, cost: 12.5, weight: 1.2, stock_qty: 120 },
  { sku: "MUG-CC", name: "Café Crème Mug", type_id: "simple", price: 8.5, tax_class_id: 2, cost: 2.1, weight: 0.4, stock_qty: 400 },
  { sku: "CS-01", name: "Child Car Seat", type_id: "simple", price: 89.99, tax_class_id: 5, cost: 40, weight: 6, stock_qty: 35 },
  { sku: "BK-101", name: "Field Guide to Birds", type_id: "simple", price: 12.5, tax_class_id: 6, cost: 4, weight: 0.6, stock_qty: 80 },
  { sku: "SRV-INSTALL", name: "Installation Service", type_id: "virtual", price: 60, tax_class_id: 2 },
  { sku: "TEA-CADDY", name: "Heritage Tea Caddy", type_id: "simple", price: 24, tax_class_id: 2, cost: 9, weight: 0.7, stock_qty: 60 },
  { sku: "SAMPLE-TEA", name: "Tea Sampler (free sample)", type_id: "simple", price: 0, tax_class_id: 2, weight: 0.1, stock_qty: 1000 },
];

export const CUSTOMERS = {
  acme: {
    email: "priya.shah@acme-widgets.example",
    firstname: "Priya",
    lastname: "Shah",
    company: "Acme Widgets Ltd",
    country: "GB",
    group_id: 2,
  },
  mueller: {
    email: "juergen.mueller@mueller-feinkost.example",
    firstname: "Jürgen",
    lastname: "Müller",
    company: "Müller Feinkost GmbH",
    country: "DE",
    group_id: 2,
    website_id: 2,
  },
  harbour: {
    email: "sam.carter@harbour-tech.example",
    firstname: "Sam",
    lastname: "Carter",
    company: "Harbour Tech Inc.",
    country: "US",
    group_id: 2,
  },
  grant: {
    email: "oliver.grant@grant-joinery.example",
    firstname: "Oliver",
    lastname: "Grant",
    company: "Grant & Sons Joinery Ltd",
    country: "GB",
    group_id: 2,
  },
} satisfies Record<string, CustomerInput>;
type CustomerKey = keyof typeof CUSTOMERS;

/** What a beat leaves behind for later beats and for the progress read-out. */
export interface DayState {
  customers: Record<CustomerKey, number>;
  invoices: Record<string, InvoiceRow>;
  /** every invoice / credit memo this play created, for the chip tally */
  tracked: { entity_type: "invoice" | "creditmemo"; id: number }[];
  run: string;
}

export interface BeatContext {
  magento: MagentoAdmin;
  sage: SageAdmin | null;
  state: DayState;
  note(line: string): void;
}

export interface Beat {
  clock: string;
  title: string;
  /** what Ledger should show, for the presenter */
  expect: string;
  act(ctx: BeatContext): Promise<void>;
}

const guest = (state: DayState, who: string, firstname: string, lastname: string) => ({
  email: `${who}.${state.run}@guest.example`,
  firstname,
  lastname,
});

async function order(ctx: BeatContext, key: string, input: OrderInput): Promise<InvoiceRow> {
  const inv = await ctx.magento.createOrder(input);
  ctx.state.invoices[key] = inv;
  ctx.state.tracked.push({ entity_type: "invoice", id: inv.entity_id });
  ctx.note(`invoice #${inv.increment_id} · ${inv.order_currency_code ?? "GBP"} ${inv.grand_total.toFixed(2)}`);
  return inv;
}

async function refund(ctx: BeatContext, input: Parameters<MagentoAdmin["createCreditMemo"]>[0]): Promise<void> {
  const memo = await ctx.magento.createCreditMemo(input);
  ctx.state.tracked.push({ entity_type: "creditmemo", id: memo.entity_id });
  ctx.note(`credit memo #${memo.increment_id}`);
}

const BURST_SIZE = 12;

export const DAY: Beat[] = [
  {
    clock: "08:55",
    title: "Opening up: catalogue and wholesale accounts",
    expect: "customers appear in Sage as contacts (✓)",
    async act(ctx) {
      const haveSkus = new Set((await ctx.magento.products()).map((p) => p.sku));
      for (const p of CATALOGUE) if (!haveSkus.has(p.sku)) await ctx.magento.createProduct(p);
      const byEmail = new Map((await ctx.magento.customers()).map((c) => [c.email, c.entity_id]));
      for (const [key, c] of Object.entries(CUSTOMERS) as [CustomerKey, CustomerInput][]) {
        ctx.state.customers[key] = byEmail.get(c.email) ?? (await ctx.magento.createCustomer(c)).entity_id;
      }
      ctx.note(`${CATALOGUE.length} products, ${Object.keys(CUSTOMERS).length} wholesale customers`);
      if (ctx.sage) {
        const contact = { name: "Web Sales (EUR)", reference: `${DEMO_FALLBACK_REFERENCE}E`, currency_id: "EUR" };
        let made = 0;
        for (const b of SAGE_BUSINESSES) if (await ctx.sage.reserveDeletedContactReference(b, contact)) made += 1;
        if (made) ctx.note(`in Sage, the accountant's old contact ${contact.reference} is deleted (its reference stays reserved)`);
      }
    },
  },
  {
    clock: "09:02",
    title: "Wholesale order on a purchase order (GBP)",
    expect: "✓ Synced: a Sage invoice on Acme Widgets Ltd, unpaid",
    act: (ctx) =>
      order(ctx, "acme", {
        customer_id: ctx.state.customers.acme,
        lines: [
          { sku: "MB01", qty: 10 },
          { sku: "MUG-CC", qty: 24 },
        ],
        shipping_amount: 7.5,
        payment_method: "purchaseorder",
        po_number: `PO-${ctx.state.run.slice(-4)}`,
        invoice_state: "open",
      }).then(() => undefined),
  },
  {
    clock: "09:20",
    title: "Guest pays £300 by card (GBP)",
    expect: "✓ Synced: over the £250 B2C threshold, so the guest gets a Sage contact of their own + card receipt",
    act: (ctx) =>
      order(ctx, "guestCard", {
        guest: guest(ctx.state, "emma", "Emma", "Wilson"),
        country: "GB",
        lines: [
          { sku: "CS-01", qty: 2 },
          { sku: "SRV-INSTALL", qty: 1 },
          { sku: "BK-101", qty: 2 },
        ],
        shipping_amount: 4.95,
        payment_method: "braintree",
      }).then(() => undefined),
  },
  {
    clock: "09:45",
    title: "EU wholesale order with a discount (EUR)",
    expect: "✓ Synced: zero-rated EU goods, exchange rate 1.17, 10 % discount",
    act: (ctx) =>
      order(ctx, "mueller", {
        customer_id: ctx.state.customers.mueller,
        store_id: 2,
        currency: "EUR",
        lines: [
          { sku: "TEA-CADDY", qty: 12 },
          { sku: "MUG-CC", qty: 36 },
        ],
        discount_percent: 10,
        shipping_amount: 15,
        payment_method: "banktransfer",
        invoice_state: "open",
      }).then(() => undefined),
  },
  {
    clock: "10:10",
    title: "US business pays by card (USD)",
    expect: "✓ Synced: zero-rated export, no EU type, USD contact",
    act: (ctx) =>
      order(ctx, "harbour", {
        customer_id: ctx.state.customers.harbour,
        currency: "USD",
        lines: [
          { sku: "SRV-INSTALL", qty: 2 },
          { sku: "MB01", qty: 3 },
        ],
        shipping_amount: 25,
        payment_method: "stripe_payments",
      }).then(() => undefined),
  },
  {
    clock: "10:40",
    title: "Guest from France pays with PayPal (EUR)",
    expect: '✗ Failed (provider): Sage 422 "reference: has already been taken" (WEBSALESE); its payment ⏳ waits',
    act: (ctx) =>
      order(ctx, "guestFr", {
        guest: guest(ctx.state, "camille", "Camille", "Durand"),
        country: "FR",
        store_id: 2,
        currency: "EUR",
        lines: [{ sku: "MUG-CC", qty: 4 }],
        shipping_amount: 9,
        payment_method: "paypal_express",
      }).then(() => undefined),
  },
  {
    clock: "11:05",
    title: "A free sample goes out",
    expect: "⏸ Skipped: zero_value_invoice",
    act: (ctx) =>
      order(ctx, "sample", {
        guest: guest(ctx.state, "noah", "Noah", "Patel"),
        country: "GB",
        lines: [{ sku: "SAMPLE-TEA", qty: 1 }],
        payment_method: "free",
      }).then(() => undefined),
  },
  {
    clock: "11:30",
    title: "Back office invoices an order from before the cut-over",
    expect: "⏸ Skipped: outside_sync_since",
    act: (ctx) =>
      order(ctx, "old", {
        guest: guest(ctx.state, "ruth", "Ruth", "Evans"),
        country: "GB",
        lines: [{ sku: "BK-101", qty: 1 }],
        payment_method: "checkmo",
        invoice_state: "open",
        created_at: PRE_CUTOVER_DATE,
      }).then(() => undefined),
  },
  {
    clock: "12:00",
    title: "Guest pays with Klarna (no bank account mapped)",
    expect: "✓ invoice, ⏸ payment skipped: payment_method_not_mapped",
    act: (ctx) =>
      order(ctx, "klarna", {
        guest: guest(ctx.state, "liam", "Liam", "Hughes"),
        country: "GB",
        lines: [{ sku: "MB01", qty: 1 }],
        shipping_amount: 4.95,
        payment_method: "klarna_kp",
      }).then(() => undefined),
  },
  {
    clock: "12:30",
    title: "Joinery firm orders on account, pays by cheque the same day",
    expect: "✓ Synced: invoice, then the cheque receipt into the current account",
    async act(ctx) {
      const inv = await order(ctx, "grant", {
        customer_id: ctx.state.customers.grant,
        lines: [
          { sku: "TEA-CADDY", qty: 5 },
          { sku: "CS-01", qty: 1 },
        ],
        shipping_amount: 6,
        payment_method: "checkmo",
        invoice_state: "open",
      });
      await ctx.magento.payInvoice(inv.entity_id);
      ctx.note(`invoice #${inv.increment_id} paid by cheque`);
    },
  },
  {
    clock: "13:00",
    title: `Lunchtime flash sale: ${BURST_SIZE} card orders at once`,
    expect: "⏳ then ✓: Sage answers 429 Too Many Requests; Ledger backs off and retries",
    async act(ctx) {
      if (ctx.sage) {
        // Ledger's own throttle keeps a real burst under Sage's budget, so the emulator is told to
        // refuse the next document posts exactly as Sage does when a business is over its limit.
        await ctx.sage.addFault({ method: "POST", path: "/v3.1/*", kind: "rate_limit", retry_after: 2, count: 4 });
        ctx.note("Sage will answer the next 4 posts with 429 + Retry-After: 2");
      } else ctx.note("no Sage emulator URL given: the burst runs without the 429s");
      const items = ["MUG-CC", "BK-101", "MB01", "TEA-CADDY"];
      const names = [
        ["Ava", "Brown"],
        ["Leo", "Clarke"],
        ["Mia", "Davies"],
        ["Jack", "Hall"],
        ["Isla", "Wright"],
        ["Noah", "Green"],
      ];
      await Promise.all(
        Array.from({ length: BURST_SIZE }, (_, i) =>
          order(ctx, `burst${i}`, {
            guest: guest(ctx.state, `flash${i}`, names[i % names.length][0], names[i % names.length][1]),
            country: "GB",
            lines: [{ sku: items[i % items.length], qty: 1 + (i % 3), discount_percent: 15 }],
            shipping_amount: i % 2 ? 0 : 3.5,
            payment_method: i % 3 === 2 ? "paypal_express" : "braintree",
          }),
        ),
      );
    },
  },
  {
    clock: "14:30",
    title: "A card customer returns everything (online refund)",
    expect: "✓ Synced: Sage credit note + customer refund",
    act: (ctx) => refund(ctx, { invoice_id: ctx.state.invoices.guestCard.entity_id, refund: "online", comment: "Changed mind" }),
  },
  {
    clock: "15:10",
    title: "Müller Feinkost returns two caddies (partial credit memo)",
    expect: "✓ Synced: credit note allocated against the open EUR invoice",
    act: (ctx) =>
      refund(ctx, {
        invoice_id: ctx.state.invoices.mueller.entity_id,
        lines: [{ index: 0, qty: 2 }],
        refund: "offline",
        link_invoice: true,
        comment: "Dented lids",
      }),
  },
  {
    clock: "16:00",
    title: "Payments arrive for the wholesale invoices",
    expect: "✓ Synced: receipts allocated, Sage invoices PAID",
    async act(ctx) {
      for (const key of ["acme", "mueller"]) {
        const inv = ctx.state.invoices[key];
        await ctx.magento.payInvoice(inv.entity_id);
        ctx.note(`invoice #${inv.increment_id} paid`);
      }
    },
  },
];

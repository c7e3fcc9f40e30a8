import type { ApiContext, Route } from "../context.ts";
import type { Tx } from "../db.ts";
import { money, round2, toBase } from "../money.ts";
import { TAX_RATES, base, currencyBase, ledgerAccounts, taxRateBase, type TaxRateDef } from "../reference.ts";
import { salesCreditNoteInput, salesInvoiceInput, type ArtefactLineInput } from "../schemas.ts";
import { createIdempotent, getRecord, insertRecord, newId, nextNumber, nowIso, type Json, type Kind } from "../store.ts";
import { num, parseRoot } from "../validation.ts";
import { lineAmounts, shippingAmounts, totals, type LineAmounts } from "./artefact-math.ts";
import { checkCrossBorder, checkHtmlEntities, resolveExchangeRate } from "./artefact-rules.ts";
import { getHandler, listHandler, renderAddress, requireWrite, searchFilter } from "./common.ts";
import { contactFacts } from "./contacts.ts";
import { Problems, currency, ledger, taxRate } from "./lookup.ts";
import { statusFor } from "./settlement.ts";

/** What differs between sales invoices and sales credit notes; everything else is shared. */
export interface ArtefactType {
  kind: Kind;
  root: "sales_invoice" | "sales_credit_note";
  linesField: "invoice_lines" | "credit_note_lines";
  numberField: "invoice_number" | "credit_note_number";
  prefixField: "invoice_number_prefix" | "credit_note_number_prefix";
  transactionType: [string, string];
}

export const INVOICE: ArtefactType = {
  kind: "sales_invoices",
  root: "sales_invoice",
  linesField: "invoice_lines",
  numberField: "invoice_number",
  prefixField: "invoice_number_prefix",
  transactionType: ["SALES_INVOICE", "Sales Invoice"],
};
export const CREDIT_NOTE: ArtefactType = {
  kind: "sales_credit_notes",
  root: "sales_credit_note",
  linesField: "credit_note_lines",
  numberField: "credit_note_number",
  prefixField: "credit_note_number_prefix",
  transactionType: ["SALES_CREDIT_NOTE", "Sales Credit Note"],
};

type Input = Record<string, unknown> & {
  contact_id: string;
  date: string;
  currency_id?: string;
  exchange_rate?: number | string;
  shipping_net_amount?: number | string;
  shipping_tax_rate_id?: string;
  shipping_tax_amount?: number | string;
  main_address?: Record<string, string | undefined>;
  delivery_address?: Record<string, string | undefined>;
  idempotency_id?: string;
};

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

async function checkItems(tx: Tx, p: Problems, businessId: string, lines: ArtefactLineInput[]): Promise<Map<string, Json>> {
  const found = new Map<string, Json>();
  for (const l of lines) {
    if (l.product_id) {
      const rec =
        (await getRecord(tx, businessId, "products", l.product_id)) ?? (await getRecord(tx, businessId, "stock_items", l.product_id));
      if (rec) found.set(l.product_id, rec);
      else p.add("line_items.product_id", "Couldn't find record.");
    }
    if (l.service_id) {
      const rec = await getRecord(tx, businessId, "services", l.service_id);
      if (rec) found.set(l.service_id, rec);
      else p.add("line_items.service_id", "Couldn't find record.");
    }
  }
  return found;
}

async function build(ctx: ApiContext, tx: Tx, type: ArtefactType, input: Input, lines: ArtefactLineInput[]): Promise<Json> {
  const biz = ctx.business;
  const quirks = ctx.config.quirks;
  const p = new Problems();
  const contactRec = await getRecord(tx, biz.id, "contacts", input.contact_id);
  const contact = contactRec ? contactFacts(contactRec, biz.baseCurrency) : undefined;
  if (!contact || !contact.types.includes("CUSTOMER")) {
    // Sage's own wording, with the empty $source it is known for (sage-api §6.2).
    p.add("", "Couldn't find Customer.");
    p.throwIfAny();
  }
  const c = contact!;
  currency(p, input.currency_id, "currency_id");
  const docCurrency = input.currency_id ?? c.currency;
  const rate = resolveExchangeRate(p, docCurrency, c.currency, biz.baseCurrency, input.exchange_rate);

  const ledgers = ledgerAccounts(biz.id);
  const lineRates: TaxRateDef[] = lines.map((l) => {
    const ledgerAcc = ledger(p, biz.id, l.ledger_account_id, "line_items.ledger_account_id", "sales");
    const fallback = ledgers.find((a) => a.id === ledgerAcc?.id)?.record.tax_rate as { id: string } | null | undefined;
    const id = l.tax_rate_id ?? fallback?.id ?? "GB_NO_TAX";
    return taxRate(p, id, "line_items.tax_rate_id") ?? TAX_RATES[4];
  });
  const items = await checkItems(tx, p, biz.id, lines);
  checkHtmlEntities(p, quirks, lines);
  const amounts: LineAmounts[] = lines.map((l, i) => lineAmounts(p, l, lineRates[i]));

  const shippingRateId = input.shipping_tax_rate_id ?? "GB_STANDARD";
  const shippingRate = taxRate(p, shippingRateId, "shipping_tax_rate_id") ?? TAX_RATES[0];
  const shipping = shippingAmounts(quirks, input.shipping_net_amount, input.shipping_tax_amount, shippingRate);
  const billing = input.main_address ?? c.mainAddress;
  checkCrossBorder(
    p,
    "GB",
    billing?.country_id,
    lines,
    lineRates.map((r) => r.id),
    { net: shipping.net, rateId: shippingRateId },
  );
  const computed = totals(amounts, shipping);
  p.throwIfAny();
  // A `wrong_total` fault: Sage's answer and stored document disagree with its own lines (D11 tests).
  const t = ctx.req.wrongTotalBy ? { ...computed, total: round2(computed.total + ctx.req.wrongTotalBy) } : computed;

  const id = newId();
  const n = await nextNumber(tx, biz.id, type.kind);
  const prefix =
    (input[type.prefixField] as string | undefined) ?? (type === INVOICE ? ctx.config.invoicePrefix : ctx.config.creditNotePrefix);
  const number = `${prefix}-${n}`;
  const now = nowIso();
  const b = (x: number) => money(toBase(x, rate));
  const renderedLines = lines.map((l, i) => {
    const a = amounts[i];
    const product = l.product_id ? items.get(l.product_id) : undefined;
    const service = l.service_id ? items.get(l.service_id) : undefined;
    const la = ledgers.find((x) => x.id === l.ledger_account_id)!;
    return {
      id: newId(),
      displayed_as: l.description,
      description: l.description,
      product: product ? base(String(product.$path).split("/")[1], String(product.id), String(product.displayed_as)) : null,
      service: service ? base("services", String(service.id), String(service.displayed_as)) : null,
      ledger_account: base("ledger_accounts", la.id, la.displayed_as),
      trade_of_asset: l.trade_of_asset ?? false,
      quantity: money(a.quantity),
      unit_price: money(a.unitPrice),
      unit_price_includes_tax: l.unit_price_includes_tax ?? false,
      net_amount: money(a.net),
      tax_rate: taxRateBase(lineRates[i].id),
      tax_amount: money(a.tax),
      total_amount: money(a.total),
      discount_amount: money(a.discount),
      discount_percentage: money(l.discount_percentage !== undefined ? num(l.discount_percentage) : 0),
      eu_goods_services_type: l.eu_goods_services_type_id
        ? base("eu_goods_services_types", l.eu_goods_services_type_id, l.eu_goods_services_type_id === "GOODS" ? "Goods" : "Services")
        : null,
      base_currency_unit_price: b(a.unitPrice),
      base_currency_net_amount: b(a.net),
      base_currency_tax_amount: b(a.tax),
      base_currency_total_amount: b(a.total),
      base_currency_discount_amount: b(a.discount),
    };
  });
  const byRate = new Map<string, { net: number; tax: number }>();
  amounts.forEach((a, i) => {
    const cur = byRate.get(lineRates[i].id) ?? { net: 0, tax: 0 };
    byRate.set(lineRates[i].id, { net: cur.net + a.net, tax: cur.tax + a.tax });
  });
  // Omitted delivery address → Sage copies the billing one (Byte8's "SI-11", product-spec §3.7 §17).
  const delivery = input.delivery_address ?? (ctx.config.quirks.copyBillingToDelivery ? billing : undefined);
  const status = statusFor(t.total, t.total);
  return {
    ...base(type.kind, id, number),
    editable: true,
    transaction: base("transactions", newId(), number),
    transaction_type: base("transaction_types", ...type.transactionType),
    deleted_at: null,
    contact: base("contacts", c.id, c.displayedAs),
    contact_name: (input.contact_name as string | undefined) ?? c.name,
    contact_reference: (input.contact_reference as string | undefined) ?? c.reference ?? null,
    [type.prefixField]: prefix,
    [type.numberField]: number,
    date: input.date,
    ...(type === INVOICE
      ? { due_date: (input.due_date as string | undefined) ?? addDays(input.date, c.creditDays) }
      : { original_invoice_date: (input.original_invoice_date as string | undefined) ?? null }),
    reference: (input.reference as string | undefined) ?? null,
    main_address: renderAddress(billing, "ACCOUNTS"),
    delivery_address: renderAddress(delivery, "DELIVERY"),
    notes: (input.notes as string | undefined) ?? null,
    terms_and_conditions: (input.terms_and_conditions as string | undefined) ?? null,
    shipping_net_amount: money(t.shippingNet),
    shipping_tax_rate: taxRateBase(shippingRate.id),
    shipping_tax_amount: money(t.shippingTax),
    shipping_total_amount: money(t.shippingTotal),
    net_amount: money(t.net),
    tax_amount: money(t.tax),
    total_amount: money(t.total),
    total_quantity: money(t.quantity),
    total_discount_amount: money(t.discount),
    payments_allocations_total_amount: "0.0",
    payments_allocations_total_discount: "0.0",
    total_paid: "0.0",
    outstanding_amount: money(t.total),
    currency: currencyBase(docCurrency),
    exchange_rate: money(rate),
    inverse_exchange_rate: money(Number((1 / rate).toFixed(10))),
    base_currency_shipping_net_amount: b(t.shippingNet),
    base_currency_shipping_tax_amount: b(t.shippingTax),
    base_currency_shipping_total_amount: b(t.shippingTotal),
    base_currency_net_amount: b(t.net),
    base_currency_tax_amount: b(t.tax),
    base_currency_total_amount: b(t.total),
    base_currency_total_discount_amount: b(t.discount),
    base_currency_outstanding_amount: b(t.total),
    status,
    sent: (input.sent as boolean | undefined) ?? false,
    sent_by_email: false,
    void_reason: null,
    vat_reverse_charge: (input.vat_reverse_charge as boolean | undefined) ?? false,
    tax_reconciled: false,
    [type.linesField]: renderedLines,
    tax_analysis: [...byRate.entries()].map(([rid, v]) => ({
      tax_rate: taxRateBase(rid),
      net_amount: money(v.net),
      tax_amount: money(v.tax),
      total_amount: money(v.net + v.tax),
    })),
    payments_allocations: [],
    created_at: now,
    updated_at: now,
  };
}

/** The create path as the API runs it; the admin API's "created by hand" documents use it too. */
export function createHandler(type: ArtefactType) {
  return async (ctx: ApiContext) => {
    requireWrite(ctx);
    const schema = type === INVOICE ? salesInvoiceInput : salesCreditNoteInput;
    const input = parseRoot(type.root, schema, ctx.body) as Input;
    const lines = input[type.linesField] as ArtefactLineInput[];
    const result = await createIdempotent(ctx.db, ctx.business.id, type.kind, input.idempotency_id, ctx.body, async (tx) => {
      const rec = await build(ctx, tx, type, input, lines);
      await insertRecord(tx, ctx.business.id, type.kind, rec);
      return rec;
    });
    return { status: result.status, body: result.body, replayed: result.replayed };
  };
}

function listRoute(type: ArtefactType): Route {
  return {
    method: "GET",
    pattern: `/${type.kind}`,
    handler: (ctx) =>
      listHandler(ctx, type.kind, (w, q) => {
        searchFilter(w, q, ["data->>'reference'", "data->>'contact_name'", "data->>'displayed_as'"]);
        const contact = q.get("contact_id");
        if (contact) w.add("data->'contact'->>'id' = ?", contact);
        const status = q.get("status_id");
        if (status) w.add("data->'status'->>'id' = ?", status);
        const from = q.get("from_date");
        if (from) w.add("data->>'date' >= ?", from);
        const to = q.get("to_date");
        if (to) w.add("data->>'date' <= ?", to);
      }),
  };
}

/** `show_payments_allocations=true` is what exposes the allocation list on a single GET. */
const hideAllocations = (ctx: ApiContext) => (rec: Json) => {
  if (ctx.req.url.searchParams.get("show_payments_allocations") === "true") return rec;
  const { payments_allocations, ...rest } = rec;
  void payments_allocations;
  return rest;
};

export const artefactRoutes: Route[] = [INVOICE, CREDIT_NOTE].flatMap((type): Route[] => [
  listRoute(type),
  { method: "GET", pattern: `/${type.kind}/:id`, handler: (ctx, p) => getHandler(ctx, type.kind, p.id, hideAllocations(ctx)) },
  { method: "POST", pattern: `/${type.kind}`, handler: createHandler(type) },
]);

import type { z } from "zod";
import type { ApiContext, Route } from "../context.ts";
import type { Tx } from "../db.ts";
import { money, round2, toBase } from "../money.ts";
import { base, currencyBase, taxRateBase } from "../reference.ts";
import { contactAllocationInput, contactPaymentInput } from "../schemas.ts";
import { createIdempotent, getRecord, insertRecord, newId, nowIso, updateRecord, type Json, type Kind } from "../store.ts";
import { num, parseRoot } from "../validation.ts";
import { resolveExchangeRate } from "./artefact-rules.ts";
import { getHandler, listHandler, requireWrite } from "./common.ts";
import { contactFacts } from "./contacts.ts";
import { PAYMENT_METHODS, Problems, bank, currency, taxRate } from "./lookup.ts";
import { amountOf, settle } from "./settlement.ts";

/**
 * Contact payments and allocations settle invoices and credit notes. Signs follow the convention in
 * sage-api §4.5 (unverified against a live trial): on a receipt or allocation an invoice is
 * positive and a credit note negative; on a refund the credit note is positive.
 */

const TYPE_LABEL: Record<string, string> = {
  CUSTOMER_RECEIPT: "Customer Receipt",
  CUSTOMER_REFUND: "Customer Refund",
  VENDOR_PAYMENT: "Supplier Payment",
  VENDOR_REFUND: "Supplier Refund",
  CUSTOMER_ALLOCATION: "Customer Allocation",
  VENDOR_ALLOCATION: "Supplier Allocation",
};

interface Target {
  kind: Kind;
  rec: Json;
  /** Positive amount the artefact is settled by. */
  settleBy: number;
  discount: number;
  signed: number;
}

/** Loads each allocated artefact and checks contact, sign and outstanding (no over-allocation). */
async function loadTargets(
  tx: Tx,
  p: Problems,
  businessId: string,
  contactId: string,
  lines: { artefact_id: string; amount: number | string; discount?: number | string }[],
  invoiceSign: 1 | -1 | 0,
): Promise<Target[]> {
  const out: Target[] = [];
  for (const line of lines) {
    const inv = await getRecord(tx, businessId, "sales_invoices", line.artefact_id, { forUpdate: true });
    const cn = inv ? undefined : await getRecord(tx, businessId, "sales_credit_notes", line.artefact_id, { forUpdate: true });
    const rec = inv ?? cn;
    if (!rec) {
      p.add("allocated_artefacts.artefact_id", "Couldn't find record.");
      continue;
    }
    const kind: Kind = inv ? "sales_invoices" : "sales_credit_notes";
    if ((rec.contact as Json).id !== contactId) {
      // Credit notes only allocate against invoices of the same contact (product-spec §3.7).
      p.add("allocated_artefacts.artefact_id", "must belong to the same contact");
      continue;
    }
    const signed = round2(num(line.amount));
    const discount = round2(num(line.discount));
    const expectedSign = kind === "sales_invoices" ? invoiceSign : invoiceSign === 0 ? 1 : -invoiceSign;
    if (expectedSign === 0) {
      p.add("allocated_artefacts.artefact_id", "cannot be allocated by this transaction type");
      continue;
    }
    if (signed === 0 || Math.sign(signed) !== expectedSign) {
      p.add(
        "allocated_artefacts.amount",
        `must be ${expectedSign > 0 ? "positive" : "negative"} for a ${kind === "sales_invoices" ? "sales invoice" : "credit note"}`,
      );
      continue;
    }
    const settleBy = Math.abs(signed);
    if (settleBy + discount > amountOf(rec, "outstanding_amount") + 0.000001) {
      p.add("allocated_artefacts.amount", "cannot be greater than the outstanding amount");
      continue;
    }
    out.push({ kind, rec, settleBy, discount, signed });
  }
  return out;
}

const allocationView = (t: Target) => ({
  id: newId(),
  artefact: base(t.kind, String(t.rec.id), String(t.rec.displayed_as)),
  amount: money(t.signed),
});

async function applyTargets(tx: Tx, businessId: string, targets: Target[], link: Json, byPayment: boolean) {
  for (const t of targets) {
    await updateRecord(
      tx,
      businessId,
      t.kind,
      settle(t.rec, t.settleBy, t.discount, { ...link, amount: money(t.settleBy), discount: money(t.discount) }, byPayment),
    );
  }
}

type PaymentInput = z.infer<typeof contactPaymentInput>;

async function buildPayment(ctx: ApiContext, tx: Tx, input: PaymentInput): Promise<Json> {
  const biz = ctx.business;
  const p = new Problems();
  const customerSide = input.transaction_type_id.startsWith("CUSTOMER");
  const contactRec = await getRecord(tx, biz.id, "contacts", input.contact_id);
  const contact = contactRec ? contactFacts(contactRec, biz.baseCurrency) : undefined;
  if (!contact || !contact.types.includes(customerSide ? "CUSTOMER" : "VENDOR")) {
    p.add("", customerSide ? "Couldn't find Customer." : "Couldn't find Supplier.");
    p.throwIfAny();
  }
  const c = contact!;
  const bankAccount = bank(p, biz.id, input.bank_account_id, "bank_account_id");
  if (input.payment_method_id && !PAYMENT_METHODS.some((m) => m.id === input.payment_method_id)) {
    p.add("payment_method_id", "Couldn't find record.");
  }
  taxRate(p, input.tax_rate_id, "tax_rate_id");
  currency(p, input.currency_id, "currency_id");
  const docCurrency = input.currency_id ?? c.currency;
  const rate = resolveExchangeRate(p, docCurrency, c.currency, biz.baseCurrency, input.exchange_rate);
  const invoiceSign = input.transaction_type_id === "CUSTOMER_RECEIPT" ? 1 : 0;
  const targets = await loadTargets(tx, p, biz.id, c.id, input.allocated_artefacts ?? [], invoiceSign);
  for (const t of targets) {
    if ((t.rec.currency as Json).id !== docCurrency) p.add("currency_id", "must match the currency of the allocated artefacts");
  }
  const total = round2(num(input.total_amount));
  if (total <= 0) p.add("total_amount", "must be greater than 0");
  const allocated = round2(targets.reduce((a, t) => a + t.signed, 0));
  if (allocated > total + 0.000001) p.add("allocated_artefacts.amount", "cannot be greater than the payment's total amount");
  p.throwIfAny();

  const id = newId();
  const now = nowIso();
  const typeBase = base("transaction_types", input.transaction_type_id, TYPE_LABEL[input.transaction_type_id]);
  const displayed = input.reference ?? TYPE_LABEL[input.transaction_type_id];
  await applyTargets(tx, biz.id, targets, { id, $path: `/contact_payments/${id}`, transaction_type: typeBase, date: input.date }, true);
  const onAccount = round2(total - allocated);
  const method = PAYMENT_METHODS.find((m) => m.id === input.payment_method_id);
  return {
    ...base("contact_payments", id, displayed),
    transaction: base("transactions", newId(), displayed),
    transaction_type: typeBase,
    deleted_at: null,
    payment_method: method ? base("payment_methods", method.id, method.name) : null,
    contact: base("contacts", c.id, c.displayedAs),
    bank_account: bankAccount ? base("bank_accounts", bankAccount.id, bankAccount.displayed_as) : null,
    date: input.date,
    net_amount: money(input.net_amount !== undefined ? num(input.net_amount) : total),
    tax_amount: money(num(input.tax_amount)),
    total_amount: money(total),
    currency: currencyBase(docCurrency),
    exchange_rate: money(rate),
    base_currency_net_amount: money(toBase(input.net_amount !== undefined ? num(input.net_amount) : total, rate)),
    base_currency_tax_amount: money(toBase(num(input.tax_amount), rate)),
    base_currency_total_amount: money(toBase(total, rate)),
    base_currency_currency_charge: money(num(input.base_currency_currency_charge)),
    reference: input.reference ?? null,
    allocated_artefacts: targets.map((t) => ({ ...allocationView(t), discount: money(t.discount) })),
    tax_rate: input.tax_rate_id ? taxRateBase(input.tax_rate_id) : null,
    payment_on_account:
      onAccount > 0
        ? {
            id: newId(),
            contact_name: c.name,
            contact_reference: c.reference ?? null,
            date: input.date,
            reference: input.reference ?? null,
            total_amount: money(onAccount),
            outstanding_amount: money(onAccount),
            currency: currencyBase(docCurrency),
            exchange_rate: money(rate),
            base_currency_total_amount: money(toBase(onAccount, rate)),
            base_currency_outstanding_amount: money(toBase(onAccount, rate)),
          }
        : null,
    editable: true,
    created_at: now,
    updated_at: now,
  };
}

type AllocationInput = z.infer<typeof contactAllocationInput>;

async function buildAllocation(ctx: ApiContext, tx: Tx, input: AllocationInput): Promise<Json> {
  const biz = ctx.business;
  const p = new Problems();
  const customerSide = input.transaction_type_id === "CUSTOMER_ALLOCATION";
  const contactRec = await getRecord(tx, biz.id, "contacts", input.contact_id);
  const contact = contactRec ? contactFacts(contactRec, biz.baseCurrency) : undefined;
  if (!contact || !contact.types.includes(customerSide ? "CUSTOMER" : "VENDOR")) {
    p.add("", customerSide ? "Couldn't find Customer." : "Couldn't find Supplier.");
    p.throwIfAny();
  }
  const targets = await loadTargets(tx, p, biz.id, contact!.id, input.allocated_artefacts, 1);
  if (targets.length === input.allocated_artefacts.length) {
    const net = round2(targets.reduce((a, t) => a + t.signed, 0));
    if (net !== 0) p.add("allocated_artefacts.amount", "must net to zero across the allocated artefacts");
    if (new Set(targets.map((t) => (t.rec.currency as Json).id)).size > 1) p.add("allocated_artefacts", "must share one currency");
  }
  p.throwIfAny();
  const id = newId();
  const now = nowIso();
  const typeBase = base("transaction_types", input.transaction_type_id, TYPE_LABEL[input.transaction_type_id]);
  const date = input.date ?? now.slice(0, 10);
  await applyTargets(tx, biz.id, targets, { id, $path: `/contact_allocations/${id}`, transaction_type: typeBase, date }, false);
  return {
    ...base("contact_allocations", id, TYPE_LABEL[input.transaction_type_id]),
    transaction: base("transactions", newId(), TYPE_LABEL[input.transaction_type_id]),
    transaction_type: typeBase,
    date,
    contact: base("contacts", contact!.id, contact!.displayedAs),
    allocated_artefacts: targets.map(allocationView),
    deleted_at: null,
    created_at: now,
    updated_at: now,
  };
}

async function createPayment(ctx: ApiContext) {
  requireWrite(ctx);
  const input = parseRoot("contact_payment", contactPaymentInput, ctx.body);
  const r = await createIdempotent(ctx.db, ctx.business.id, "contact_payments", input.idempotency_id, ctx.body, async (tx) => {
    const rec = await buildPayment(ctx, tx, input);
    await insertRecord(tx, ctx.business.id, "contact_payments", rec);
    return rec;
  });
  return { status: r.status, body: r.body, replayed: r.replayed };
}

async function createAllocation(ctx: ApiContext) {
  requireWrite(ctx);
  const input = parseRoot("contact_allocation", contactAllocationInput, ctx.body);
  const r = await createIdempotent(ctx.db, ctx.business.id, "contact_allocations", input.idempotency_id, ctx.body, async (tx) => {
    const rec = await buildAllocation(ctx, tx, input);
    await insertRecord(tx, ctx.business.id, "contact_allocations", rec);
    return rec;
  });
  return { status: r.status, body: r.body, replayed: r.replayed };
}

const contactFilter = (kind: Kind) => (ctx: ApiContext) =>
  listHandler(ctx, kind, (w, q) => {
    const contact = q.get("contact_id");
    if (contact) w.add("data->'contact'->>'id' = ?", contact);
    const type = q.get("transaction_type_id");
    if (type) w.add("data->'transaction_type'->>'id' = ?", type);
    const bankAccount = q.get("bank_account_id");
    if (bankAccount) w.add("data->'bank_account'->>'id' = ?", bankAccount);
    const from = q.get("from_date");
    if (from) w.add("data->>'date' >= ?", from);
    const to = q.get("to_date");
    if (to) w.add("data->>'date' <= ?", to);
  });

export const paymentRoutes: Route[] = [
  { method: "GET", pattern: "/contact_payments", handler: contactFilter("contact_payments") },
  { method: "GET", pattern: "/contact_payments/:id", handler: (ctx, p) => getHandler(ctx, "contact_payments", p.id) },
  { method: "POST", pattern: "/contact_payments", handler: createPayment },
  { method: "GET", pattern: "/contact_allocations", handler: contactFilter("contact_allocations") },
  { method: "GET", pattern: "/contact_allocations/:id", handler: (ctx, p) => getHandler(ctx, "contact_allocations", p.id) },
  { method: "POST", pattern: "/contact_allocations", handler: createAllocation },
];

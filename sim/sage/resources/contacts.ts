import type { z } from "zod";
import type { ApiContext, Route } from "../context.ts";
import { SCHEMA, withTx, type Tx } from "../db.ts";
import { invalid, notFound } from "../http.ts";
import { money } from "../money.ts";
import { base, currencyBase, ledgerAccounts, taxRateBase } from "../reference.ts";
import { contactInput, contactUpdate } from "../schemas.ts";
import { createIdempotent, getRecord, insertRecord, newId, nowIso, softDelete, updateRecord, type Json } from "../store.ts";
import { parseRoot } from "../validation.ts";
import { getHandler, listHandler, renderAddress, requireWrite, searchFilter } from "./common.ts";
import { Problems, country, currency, ledger, taxRate } from "./lookup.ts";

type ContactInput = z.infer<typeof contactInput>;

const TYPE_LABEL: Record<string, string> = { CUSTOMER: "Customer", VENDOR: "Supplier" };

function displayedAs(name: string, reference: string | undefined): string {
  return reference ? `${name} (${reference})` : name;
}

async function referenceTaken(tx: Tx, businessId: string, reference: string, exceptId?: string): Promise<boolean> {
  // Soft-deleted contacts keep their reference reserved (sage-api §4.1, product-spec §3.7).
  const res = await tx.query(
    `SELECT 1 FROM ${SCHEMA}.records WHERE business_id = $1 AND kind = 'contacts' AND data->>'reference' = $2 AND id <> $3`,
    [businessId, reference, exceptId ?? ""],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function hasTransactions(tx: Tx, businessId: string, contactId: string): Promise<boolean> {
  const res = await tx.query(
    `SELECT 1 FROM ${SCHEMA}.records WHERE business_id = $1 AND kind <> 'contacts' AND data->'contact'->>'id' = $2 LIMIT 1`,
    [businessId, contactId],
  );
  return (res.rowCount ?? 0) > 0;
}

function checkRefs(p: Problems, businessId: string, c: Partial<ContactInput>): void {
  ledger(p, businessId, c.default_sales_ledger_account_id, "default_sales_ledger_account_id", "sales");
  ledger(p, businessId, c.default_purchase_ledger_account_id, "default_purchase_ledger_account_id", "expenses");
  taxRate(p, c.default_sales_tax_rate_id, "default_sales_tax_rate_id");
  currency(p, c.currency_id, "currency_id");
  country(p, c.main_address?.country_id, "main_address.country_id");
  country(p, c.delivery_address?.country_id, "delivery_address.country_id");
}

/** The stored Contact object; `input` keeps what the client sent so PUT can merge field by field. */
function render(id: string, input: ContactInput, baseCurrency: string, createdAt: string, businessId: string): Json {
  const ledgerBase = (lid: string | undefined) => {
    const l = lid ? ledgerAccounts(businessId).find((a) => a.id === lid) : undefined;
    return l ? base("ledger_accounts", l.id, l.displayed_as) : null;
  };
  const person = input.main_contact_person;
  return {
    ...base("contacts", id, displayedAs(input.name, input.reference)),
    contact_types: input.contact_type_ids.map((t) => base("contact_types", t, TYPE_LABEL[t])),
    name: input.name,
    reference: input.reference ?? null,
    default_sales_ledger_account: ledgerBase(input.default_sales_ledger_account_id),
    default_sales_tax_rate: input.default_sales_tax_rate_id ? taxRateBase(input.default_sales_tax_rate_id) : null,
    default_purchase_ledger_account: ledgerBase(input.default_purchase_ledger_account_id),
    tax_number: input.tax_number ?? null,
    notes: input.notes ?? null,
    locale: input.locale ?? "en",
    main_address: renderAddress(input.main_address, "DELIVERY" === input.main_address?.address_type_id ? "DELIVERY" : "ACCOUNTS"),
    delivery_address: renderAddress(input.delivery_address, "DELIVERY"),
    main_contact_person: person ? { ...person, is_main_contact: true } : null,
    email: person?.email ?? null,
    tax_treatment: input.tax_treatment ?? null,
    currency: currencyBase(input.currency_id ?? baseCurrency),
    credit_limit: money(Number(input.credit_limit ?? 0)),
    credit_days: input.credit_days ?? 30,
    credit_terms: input.credit_terms ?? null,
    source_guid: input.source_guid ?? null,
    aux_reference: input.aux_reference ?? null,
    registered_number: input.registered_number ?? null,
    deletable: true,
    system: false,
    gdpr_obfuscated: false,
    is_active: true,
    deleted_at: null,
    created_at: createdAt,
    updated_at: nowIso(),
    _input: input,
  };
}

function strip(rec: Json, balance: number): Json {
  const { _input, ...out } = rec;
  void _input;
  return { ...out, balance: money(balance) };
}

/** Strips the emulator's private `_input` and adds the live balance. */
export async function present(ctx: ApiContext, rec: Json): Promise<Json> {
  const res = await ctx.db.query(
    `SELECT coalesce(sum(CASE kind
        WHEN 'sales_invoices' THEN (data->>'outstanding_amount')::numeric
        WHEN 'sales_credit_notes' THEN -(data->>'outstanding_amount')::numeric
        WHEN 'contact_payments' THEN -coalesce((data->'payment_on_account'->>'outstanding_amount')::numeric, 0)
      END), 0) AS balance
     FROM ${SCHEMA}.records WHERE business_id = $1 AND data->'contact'->>'id' = $2 AND deleted_at IS NULL`,
    [ctx.business.id, rec.id],
  );
  return strip(rec, Number(res.rows[0].balance));
}

async function create(ctx: ApiContext) {
  requireWrite(ctx);
  const input = parseRoot("contact", contactInput, ctx.body);
  const result = await createIdempotent(ctx.db, ctx.business.id, "contacts", input.idempotency_id, ctx.body, async (tx) => {
    const p = new Problems();
    checkRefs(p, ctx.business.id, input);
    if (input.reference && (await referenceTaken(tx, ctx.business.id, input.reference))) p.add("reference", "has already been taken");
    p.throwIfAny();
    const id = newId();
    const { idempotency_id, ...stored } = input;
    void idempotency_id;
    const rec = render(id, stored, ctx.business.baseCurrency, nowIso(), ctx.business.id);
    await insertRecord(tx, ctx.business.id, "contacts", rec);
    return strip(rec, 0);
  });
  return { status: result.status, body: result.body, replayed: result.replayed };
}

async function update(ctx: ApiContext, id: string) {
  requireWrite(ctx);
  const patch = parseRoot("contact", contactUpdate, ctx.body);
  const body = await withTx(ctx.db, async (tx) => {
    // PUT on a soft-deleted contact is refused like an unknown one (product-spec §3.7).
    const current = await getRecord(tx, ctx.business.id, "contacts", id, { forUpdate: true });
    if (!current) throw notFound();
    const prior = current._input as ContactInput;
    const { idempotency_id, ...changes } = patch;
    void idempotency_id;
    const merged: ContactInput = { ...prior, ...changes };
    const p = new Problems();
    checkRefs(p, ctx.business.id, changes);
    if (changes.reference && (await referenceTaken(tx, ctx.business.id, changes.reference, id)))
      p.add("reference", "has already been taken");
    const oldCurrency = prior.currency_id ?? ctx.business.baseCurrency;
    const newCurrency = merged.currency_id ?? ctx.business.baseCurrency;
    if (oldCurrency !== newCurrency && (await hasTransactions(tx, ctx.business.id, id))) {
      // Contacts are locked to one currency once they trade (sage-api §6).
      p.add("currency_id", "cannot be changed once the contact has transactions");
    }
    p.throwIfAny();
    const rec = render(id, merged, ctx.business.baseCurrency, String(current.created_at), ctx.business.id);
    await updateRecord(tx, ctx.business.id, "contacts", rec);
    return rec;
  });
  return { status: 200, body: await present(ctx, body) };
}

async function remove(ctx: ApiContext, id: string) {
  requireWrite(ctx);
  await withTx(ctx.db, async (tx) => {
    const current = await getRecord(tx, ctx.business.id, "contacts", id, { forUpdate: true });
    if (!current) throw notFound();
    if (await hasTransactions(tx, ctx.business.id, id)) throw invalid("base", "Contacts with transactions cannot be deleted.");
    await softDelete(tx, ctx.business.id, "contacts", id);
  });
  return { status: 204 };
}

export const contactRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/contacts",
    handler: (ctx) =>
      listHandler(
        ctx,
        "contacts",
        (w, q) => {
          searchFilter(w, q, ["data->>'name'", "data->>'reference'"]);
          const email = q.get("email");
          if (email) w.add("lower(data->>'email') = lower(?)", email);
          const type = q.get("contact_type_id");
          if (type) w.add("data->'contact_types' @> ?::jsonb", JSON.stringify([{ id: type }]));
        },
        (r) => present(ctx, r),
      ),
  },
  { method: "GET", pattern: "/contacts/:id", handler: (ctx, p) => getHandler(ctx, "contacts", p.id, (r) => present(ctx, r)) },
  { method: "POST", pattern: "/contacts", handler: (ctx) => create(ctx) },
  { method: "PUT", pattern: "/contacts/:id", handler: (ctx, p) => update(ctx, p.id) },
  { method: "DELETE", pattern: "/contacts/:id", handler: (ctx, p) => remove(ctx, p.id) },
];

/** For documents: the contact's currency, type and country, or undefined when it does not exist. */
export function contactFacts(rec: Json, baseCurrency: string) {
  const input = rec._input as ContactInput;
  return {
    id: String(rec.id),
    displayedAs: String(rec.displayed_as),
    name: input.name,
    reference: input.reference,
    types: input.contact_type_ids,
    currency: input.currency_id ?? baseCurrency,
    country: input.main_address?.country_id,
    mainAddress: input.main_address,
    deliveryAddress: input.delivery_address,
    creditDays: input.credit_days ?? 30,
  };
}

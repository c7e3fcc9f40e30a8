import { z } from "zod";
import type { ApiContext } from "./context.ts";
import { withTx } from "./db.ts";
import { SageError, errorReply, parseJson, type Reply, type Req } from "./http.ts";
import { money, round2, sum, toBase } from "./money.ts";
import { TAX_RATES } from "./reference.ts";
import { CREDIT_NOTE, INVOICE, createHandler, type ArtefactType } from "./resources/artefacts.ts";
import { statusFor } from "./resources/settlement.ts";
import type { Runtime } from "./runtime.ts";
import { businessSeed } from "./seed.ts";
import { findById, getRecord, nowIso, softDelete, updateRecord, type Json } from "./store.ts";

/**
 * The accountant's hand in Sage (admin API `/_admin/documents/…`, and the UI's forms): edit a posted
 * invoice or credit note (line quantities/prices, reference, date), void it, delete it, or create one
 * by hand. Reconciliation tests and the demo use these to produce "changed in Sage after posting" and
 * "not from Ledger" rows; every change bumps `updated_at` as Sage does, so `updated_or_created_since`
 * sees it.
 */

const TYPES: Record<string, ArtefactType> = { sales_invoices: INVOICE, sales_credit_notes: CREDIT_NOTE };

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);

export const editSchema = z.strictObject({
  lines: z.array(z.strictObject({ index: z.number().int().min(0), quantity: num.optional(), unit_price: num.optional() })).optional(),
  shipping_net_amount: num.optional(),
  reference: z.string().max(25).optional(),
  date: z.iso.date().optional(),
  notes: z.string().optional(),
});
export type DocumentEdit = z.infer<typeof editSchema>;

const voidSchema = z.strictObject({ void_reason: z.string().min(1).max(200) });
const createSchema = z.strictObject({ business_id: z.string(), document: z.record(z.string(), z.unknown()) });
const duplicateSchema = z.strictObject({ reference: z.string().max(25).optional(), date: z.iso.date().optional() });

const rateOf = (taxRate: unknown): number => TAX_RATES.find((t) => t.id === (taxRate as Json | null)?.id)?.percentage ?? 0;
const n = (v: unknown): number => Number(v ?? 0);

/** Recomputes a document after an edit with the same rules as a create (line rounding first, D10). */
export function applyEdit(type: ArtefactType, rec: Json, edit: DocumentEdit): Json {
  const lines = (rec[type.linesField] as Json[]).map((l) => ({ ...l }));
  for (const e of edit.lines ?? []) {
    const line = lines[e.index];
    if (!line) throw new SageError(422, [{ $severity: "error", $dataCode: "RecordInvalid", $message: "no such line", $source: "lines" }]);
    const quantity = e.quantity ?? n(line.quantity);
    const unitPrice = e.unit_price ?? n(line.unit_price);
    const net = round2(round2(quantity * unitPrice) - n(line.discount_amount));
    const tax = round2((net * rateOf(line.tax_rate)) / 100);
    Object.assign(line, { quantity: money(quantity), unit_price: money(unitPrice), net_amount: money(net), tax_amount: money(tax) });
    line.total_amount = money(round2(net + tax));
  }
  const rate = n(rec.exchange_rate) || 1;
  const shippingNet = edit.shipping_net_amount ?? n(rec.shipping_net_amount);
  const shippingTax = round2((shippingNet * rateOf(rec.shipping_tax_rate)) / 100);
  const net = sum([...lines.map((l) => n(l.net_amount)), shippingNet]);
  const tax = sum([...lines.map((l) => n(l.tax_amount)), shippingTax]);
  const total = round2(net + tax);
  const settled = round2(n(rec.payments_allocations_total_amount) + n(rec.payments_allocations_total_discount));
  const outstanding = round2(total - settled);
  const b = (x: number) => money(toBase(x, rate));
  return {
    ...rec,
    ...(edit.reference !== undefined ? { reference: edit.reference } : {}),
    ...(edit.date !== undefined ? { date: edit.date } : {}),
    ...(edit.notes !== undefined ? { notes: edit.notes } : {}),
    [type.linesField]: lines.map((l) => ({
      ...l,
      base_currency_net_amount: b(n(l.net_amount)),
      base_currency_tax_amount: b(n(l.tax_amount)),
      base_currency_total_amount: b(n(l.total_amount)),
    })),
    shipping_net_amount: money(shippingNet),
    shipping_tax_amount: money(shippingTax),
    shipping_total_amount: money(round2(shippingNet + shippingTax)),
    net_amount: money(net),
    tax_amount: money(tax),
    total_amount: money(total),
    outstanding_amount: money(outstanding),
    base_currency_net_amount: b(net),
    base_currency_tax_amount: b(tax),
    base_currency_total_amount: b(total),
    base_currency_outstanding_amount: b(outstanding),
    status: statusFor(outstanding, total),
    updated_at: nowIso(),
  };
}

/** Voiding keeps the document (Sage lists it with status VOID) and clears what it was owed. */
export function applyVoid(rec: Json, reason: string): Json {
  return {
    ...rec,
    status: { id: "VOID", displayed_as: "Void", $path: "/artefact_statuses/VOID" },
    void_reason: reason,
    outstanding_amount: "0.0",
    base_currency_outstanding_amount: "0.0",
    editable: false,
    updated_at: nowIso(),
  };
}

type Op = "edit" | "void" | "delete";

/** Edits, voids or deletes one document; the business comes from the document itself. */
export async function changeDocument(rt: Runtime, kind: string, id: string, op: Op, body: unknown): Promise<Json | null> {
  const type = TYPES[kind];
  if (!type) throw new SageError(404, [{ $severity: "error", $dataCode: "RecordNotFound", $message: "unknown kind", $source: "" }]);
  const found = await findById(rt.db, type.kind, id);
  if (!found || found.data.deleted_at) {
    throw new SageError(404, [{ $severity: "error", $dataCode: "RecordNotFound", $message: "Couldn't find record.", $source: "" }]);
  }
  const biz = found.businessId;
  return withTx(rt.db, async (tx) => {
    const rec = (await getRecord(tx, biz, type.kind, id, { forUpdate: true }))!;
    if (op === "delete") {
      await softDelete(tx, biz, type.kind, id);
      return null;
    }
    const next = op === "void" ? applyVoid(rec, voidSchema.parse(body).void_reason) : applyEdit(type, rec, editSchema.parse(body));
    await updateRecord(tx, biz, type.kind, next);
    return next;
  });
}

/** Runs the API's own create path for `business_id`, as an accountant typing a document in would. */
export async function createByHand(rt: Runtime, kind: string, businessId: string, document: Json): Promise<Json> {
  const type = TYPES[kind];
  const business = businessSeed(businessId);
  if (!type || !business) throw new SageError(404, [{ $severity: "error", $dataCode: "RecordNotFound", $message: "unknown", $source: "" }]);
  const body = { [type.root]: document };
  const url = new URL(`http://emulator/v3.1/${kind}`);
  const ctx: ApiContext = {
    db: rt.db,
    config: rt.config,
    business,
    scope: "full_access",
    req: { method: "POST", url, headers: {}, raw: undefined as never, body: JSON.stringify(body) },
    body,
  };
  const res = await createHandler(type)(ctx);
  return res.body as Json;
}

/** A second copy of a posted document under a new number: the duplicate an accountant re-keys by mistake. */
export async function duplicateDocument(rt: Runtime, kind: string, id: string, over: { reference?: string; date?: string }) {
  const type = TYPES[kind];
  const found = type ? await findById(rt.db, type.kind, id) : undefined;
  if (!type || !found)
    throw new SageError(404, [{ $severity: "error", $dataCode: "RecordNotFound", $message: "Couldn't find record.", $source: "" }]);
  const src = found.data;
  const lines = (src[type.linesField] as Json[]).map((l) => ({
    description: l.description,
    ledger_account_id: (l.ledger_account as Json).id,
    quantity: l.quantity,
    unit_price: l.unit_price,
    tax_rate_id: (l.tax_rate as Json | null)?.id,
    tax_amount: l.tax_amount,
    discount_amount: l.discount_amount,
  }));
  const document: Json = {
    contact_id: (src.contact as Json).id,
    date: over.date ?? src.date,
    reference: over.reference ?? src.reference,
    currency_id: (src.currency as Json).id,
    exchange_rate: src.exchange_rate,
    shipping_net_amount: src.shipping_net_amount,
    shipping_tax_rate_id: (src.shipping_tax_rate as Json | null)?.id,
    [type.linesField]: lines,
  };
  return createByHand(rt, kind, found.businessId, document);
}

const bad = (message: string): Reply => ({ status: 400, json: { error: "bad_request", message } });

/** `/_admin/documents/{kind}[/{id}[/void|/duplicate]]`; GET one document whatever its business or state */
export async function handleDocumentsAdmin(rt: Runtime, req: Req, path: string): Promise<Reply> {
  const [kind, id, action] = path.split("/").filter(Boolean);
  try {
    const body = req.body ? parseJson(req.body) : {};
    if (!id && req.method === "POST") {
      const c = createSchema.safeParse(body);
      if (!c.success) return bad(z.prettifyError(c.error));
      return { status: 201, json: await createByHand(rt, kind, c.data.business_id, c.data.document) };
    }
    if (id && !action && req.method === "GET") {
      const found = TYPES[kind] ? await findById(rt.db, TYPES[kind].kind, id) : undefined;
      return found ? { status: 200, json: found.data } : { status: 404, json: { error: "not_found" } };
    }
    if (id && !action && req.method === "PATCH") return { status: 200, json: await changeDocument(rt, kind, id, "edit", body) };
    if (id && !action && req.method === "DELETE") {
      await changeDocument(rt, kind, id, "delete", body);
      return { status: 204 };
    }
    if (id && action === "void" && req.method === "POST") return { status: 200, json: await changeDocument(rt, kind, id, "void", body) };
    if (id && action === "duplicate" && req.method === "POST") {
      const d = duplicateSchema.safeParse(body);
      if (!d.success) return bad(z.prettifyError(d.error));
      return { status: 201, json: await duplicateDocument(rt, kind, id, d.data) };
    }
    return { status: 404, json: { error: "not_found" } };
  } catch (err) {
    if (err instanceof SageError) return errorReply(err);
    if (err instanceof z.ZodError) return bad(z.prettifyError(err));
    throw err;
  }
}

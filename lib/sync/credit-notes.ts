import { checkCreatedDocument, checkOutstanding, creditMemoAmounts, type TotalMismatch } from "@/lib/books/verify-posting";
import type { CreditMemo } from "@/lib/magento/canonical";
import type { SageClient } from "@/lib/sage";
import { fromPence, toPence } from "@/lib/translate/money";
import { translateCreditNote } from "@/lib/translate/credit-note";
import { translateRefund } from "@/lib/translate/payment";
import { documentDate } from "@/lib/translate/reference";
import type { AttemptNotes } from "./engine";
import { storedMismatches, xrefScope, type PostedDocument } from "./invoices";
import type { PaymentXrefData } from "./payments";
import type { RunScope } from "./runs";
import type { InvoiceInSage } from "./waiting";
import { findXref, idempotencyKey, saveXref } from "./xref";

/** creditmemo.created → a Sage sales credit note on the given contact (product-spec §3.4, D5). */
export async function ensureCreditNote(
  scope: RunScope,
  sage: SageClient,
  memo: CreditMemo,
  contactId: string,
  notes: AttemptNotes,
  now = new Date(),
): Promise<PostedDocument & { totalPence: number }> {
  const xs = xrefScope(scope);
  const key = String(memo.magento_id);
  const known = await findXref(xs, "sales_credit_note", key);
  if (known) {
    notes.response = { reused: true, id: known.sageId, displayed_as: known.sageReference };
    return {
      sageId: known.sageId,
      reference: known.sageReference,
      created: false,
      warnings: [],
      mismatches: storedMismatches(known.data),
      totalPence: Number(known.data.totalPence ?? 0),
    };
  }
  const t = translateCreditNote(memo, {
    policy: scope.policy,
    businessCountry: scope.businessCountry,
    baseCurrency: scope.baseCurrency,
    contactId,
    now,
  });
  notes.payload = t.payload as never;
  notes.request = { method: "POST", path: "/sales_credit_notes", reference: t.payload.reference ?? null, contact: contactId };
  const doc = await sage.createSalesCreditNote(t.payload, { idempotencyKey: idempotencyKey(xs, "sales_credit_note", key) });
  const mismatches = checkCreatedDocument(
    "sales_credit_note",
    { ...doc, lines: doc.credit_note_lines },
    creditMemoAmounts(memo, scope.baseCurrency),
  );
  notes.response = {
    id: doc.id,
    displayed_as: doc.displayed_as,
    total_amount: doc.total_amount ?? null,
    matches_magento: mismatches.length === 0,
  };
  await saveXref(xs, "sales_credit_note", key, {
    sageId: doc.id,
    sageReference: doc.displayed_as,
    data: { contactId, totalPence: t.totalPence, currency: memo.currency, mismatches } as unknown as Record<string, unknown>,
  });
  return { sageId: doc.id, reference: doc.displayed_as, created: true, warnings: t.warnings, mismatches, totalPence: t.totalPence };
}

export type Settlement =
  | { kind: "allocated" | "refunded"; amount: number; sageId: string; mismatches: TotalMismatch[] }
  | { kind: "left_open"; why: string; mismatches: TotalMismatch[] };

/**
 * D5: knock the credit note off its invoice while the invoice still owes money (the smaller of the two
 * amounts); if the invoice was already paid through Ledger, pay the refund out of the same bank
 * account as a CUSTOMER_REFUND allocated to the credit note; otherwise leave the credit note open.
 * Afterwards (D11) Sage must show what Magento implies: the invoice owing its balance less the credit
 * (0 when the credit covers it), a refunded credit note owing nothing.
 */
export async function settleCreditNote(
  scope: RunScope,
  sage: SageClient,
  memo: CreditMemo,
  creditNote: { sageId: string; totalPence: number },
  invoice: InvoiceInSage,
  notes: AttemptNotes,
  now = new Date(),
): Promise<Settlement> {
  const xs = xrefScope(scope);
  const key = String(memo.magento_id);
  const done = await findXref(xs, "contact_allocation", key);
  if (done)
    return {
      kind: done.data.kind as "allocated" | "refunded",
      amount: Number(done.data.amount ?? 0),
      sageId: done.sageId,
      mismatches: storedMismatches(done.data),
    };

  const date = documentDate(memo.created_at, now);
  const inv = await sage.getSalesInvoice(invoice.sageId);
  const outstandingP = toPence(inv.outstanding_amount ?? 0);
  if (outstandingP > 0) {
    const amountP = Math.min(creditNote.totalPence, outstandingP);
    const body = {
      transaction_type_id: "CUSTOMER_ALLOCATION",
      contact_id: invoice.data.contactId,
      date,
      allocated_artefacts: [
        { artefact_id: invoice.sageId, amount: fromPence(amountP) },
        { artefact_id: creditNote.sageId, amount: -fromPence(amountP) },
      ],
    };
    notes.request = { method: "POST", path: "/contact_allocations", amount: fromPence(amountP) };
    const a = await sage.createContactAllocation(body, { idempotencyKey: idempotencyKey(xs, "contact_allocation", key) });
    const after = await sage.getSalesInvoice(invoice.sageId);
    // Crediting the whole invoice leaves nothing owed by Magento's account, whatever Sage held before.
    const owed = creditNote.totalPence >= invoice.data.totalPence ? 0 : outstandingP - amountP;
    const mismatches = checkOutstanding("sales_invoice", after, owed, "allocation", invoice.data.currency);
    notes.response = { id: a.id, invoice_outstanding_amount: after.outstanding_amount ?? null, matches_magento: mismatches.length === 0 };
    await saveXref(xs, "contact_allocation", key, {
      sageId: a.id,
      sageReference: a.displayed_as,
      data: { kind: "allocated", amount: fromPence(amountP), mismatches } as unknown as Record<string, unknown>,
    });
    return { kind: "allocated", amount: fromPence(amountP), sageId: a.id, mismatches };
  }
  const receipt = await findXref(xs, "contact_payment", String(memo.invoice_id));
  if (!receipt)
    return {
      kind: "left_open",
      why: "The invoice is settled in Sage and was not paid through Ledger; the credit note stays open for the accountant.",
      mismatches: [],
    };
  const paid = receipt.data as unknown as PaymentXrefData;
  const body = translateRefund({
    contactId: invoice.data.contactId,
    bankAccountId: paid.bankAccountId,
    creditNoteSageId: creditNote.sageId,
    reference: invoice.data.reference,
    currency: invoice.data.currency,
    exchangeRate: invoice.data.exchangeRate,
    amountPence: creditNote.totalPence,
    date,
    now,
  });
  notes.request = { method: "POST", path: "/contact_payments", type: "CUSTOMER_REFUND", amount: body.total_amount };
  const r = await sage.createContactPayment(body, { idempotencyKey: idempotencyKey(xs, "contact_allocation", key, "refund") });
  const note = await sage.getSalesCreditNote(creditNote.sageId);
  const mismatches = checkOutstanding("sales_credit_note", note, 0, "refund", invoice.data.currency);
  notes.response = { id: r.id, credit_note_outstanding_amount: note.outstanding_amount ?? null, matches_magento: mismatches.length === 0 };
  await saveXref(xs, "contact_allocation", key, {
    sageId: r.id,
    sageReference: r.displayed_as,
    data: { kind: "refunded", amount: body.total_amount, mismatches } as unknown as Record<string, unknown>,
  });
  return { kind: "refunded", amount: body.total_amount, sageId: r.id, mismatches };
}

import { checkOutstanding, type TotalMismatch } from "@/lib/books/verify-posting";
import type { Payment } from "@/lib/magento/canonical";
import type { SageClient } from "@/lib/sage";
import { toPence } from "@/lib/translate/money";
import { translatePayment } from "@/lib/translate/payment";
import type { AttemptNotes } from "./engine";
import { storedMismatches, xrefScope } from "./invoices";
import type { RunScope } from "./runs";
import type { InvoiceInSage } from "./waiting";
import { findXref, idempotencyKey, saveXref } from "./xref";

export interface PaymentXrefData {
  bankAccountId: string;
  contactId: string;
  amountPence: number;
}

export type PaymentResult =
  | { sageId: string; reference: string | null; created: boolean; mismatches: TotalMismatch[] }
  | { sageId: null; reason: "nothing_outstanding"; mismatches: TotalMismatch[] };

/**
 * invoice.paid → one CUSTOMER_RECEIPT on the invoice's contact, allocated to it, in the invoice's
 * currency and rate (product-spec §3.3). Never more than Sage says is still outstanding (a credit note
 * may already have reduced it), and never twice: xref first, idempotency_id always. Afterwards (D11)
 * Sage must show the invoice settled as Magento has it: a payment of Magento's full total leaves 0.
 */
export async function ensurePayment(
  scope: RunScope,
  sage: SageClient,
  payment: Payment,
  invoice: InvoiceInSage,
  bankAccountId: string,
  notes: AttemptNotes,
  now = new Date(),
): Promise<PaymentResult> {
  const xs = xrefScope(scope);
  const key = String(payment.invoice_id);
  const known = await findXref(xs, "contact_payment", key);
  if (known) {
    notes.response = { reused: true, id: known.sageId };
    return { sageId: known.sageId, reference: known.sageReference, created: false, mismatches: storedMismatches(known.data) };
  }
  const doc = await sage.getSalesInvoice(invoice.sageId);
  const outstandingP = toPence(doc.outstanding_amount ?? doc.total_amount ?? 0);
  const amountPence = Math.min(toPence(payment.amount), outstandingP);
  if (amountPence <= 0) {
    notes.response = { outstanding_amount: doc.outstanding_amount ?? null, posted: false };
    return { sageId: null, reason: "nothing_outstanding", mismatches: [] };
  }
  const body = translatePayment(payment, {
    contactId: invoice.data.contactId,
    bankAccountId,
    invoiceSageId: invoice.sageId,
    reference: invoice.data.reference,
    currency: invoice.data.currency,
    exchangeRate: invoice.data.exchangeRate,
    amountPence,
    now,
  });
  notes.payload = body as never;
  notes.request = { method: "POST", path: "/contact_payments", invoice: invoice.reference, amount: body.total_amount };
  const created = await sage.createContactPayment(body, { idempotencyKey: idempotencyKey(xs, "contact_payment", key) });
  const after = await sage.getSalesInvoice(invoice.sageId);
  const fullPayment = toPence(payment.amount) >= invoice.data.totalPence;
  const mismatches = checkOutstanding(
    "sales_invoice",
    after,
    fullPayment ? 0 : outstandingP - amountPence,
    "payment",
    invoice.data.currency,
  );
  notes.response = {
    id: created.id,
    displayed_as: created.displayed_as,
    invoice_outstanding_amount: after.outstanding_amount ?? null,
    matches_magento: mismatches.length === 0,
  };
  const data: PaymentXrefData = { bankAccountId, contactId: invoice.data.contactId, amountPence };
  await saveXref(xs, "contact_payment", key, {
    sageId: created.id,
    sageReference: created.displayed_as,
    data: { ...data, mismatches } as unknown as Record<string, unknown>,
  });
  return { sageId: created.id, reference: created.displayed_as, created: true, mismatches };
}

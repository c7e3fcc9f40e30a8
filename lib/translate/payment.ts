import type { Payment } from "@/lib/magento/canonical";
import type { ContactPaymentCreateInput } from "@/lib/sage/schemas";
import { fromPence } from "./money";
import { documentDate } from "./reference";
import { clip } from "./text";

export interface PaymentContext {
  contactId: string;
  bankAccountId: string;
  invoiceSageId: string;
  /** the invoice's reference in Sage, e.g. MAG-000000042 */
  reference: string;
  /** invoice currency and rate: payments reuse them (D1, product-spec §1.10) */
  currency: string;
  exchangeRate?: number;
  /** never more than the invoice still owes */
  amountPence: number;
  now: Date;
}

/** invoice.paid → a CUSTOMER_RECEIPT allocated to the invoice (product-spec §3.3). */
export function translatePayment(p: Payment, ctx: PaymentContext): ContactPaymentCreateInput {
  return {
    transaction_type_id: "CUSTOMER_RECEIPT",
    contact_id: ctx.contactId,
    bank_account_id: ctx.bankAccountId,
    date: documentDate(p.captured_at, ctx.now),
    total_amount: fromPence(ctx.amountPence),
    reference: clip(ctx.reference, 25),
    currency_id: ctx.currency.toUpperCase(),
    ...(ctx.exchangeRate !== undefined ? { exchange_rate: ctx.exchangeRate } : {}),
    allocated_artefacts: [{ artefact_id: ctx.invoiceSageId, amount: fromPence(ctx.amountPence) }],
  };
}

/** A refund paid out against a credit note (D5: the memo was refunded after the invoice was paid). */
export function translateRefund(
  ctx: Omit<PaymentContext, "invoiceSageId"> & { creditNoteSageId: string; date: string },
): ContactPaymentCreateInput {
  return {
    transaction_type_id: "CUSTOMER_REFUND",
    contact_id: ctx.contactId,
    bank_account_id: ctx.bankAccountId,
    date: ctx.date,
    total_amount: fromPence(ctx.amountPence),
    reference: clip(ctx.reference, 25),
    currency_id: ctx.currency.toUpperCase(),
    ...(ctx.exchangeRate !== undefined ? { exchange_rate: ctx.exchangeRate } : {}),
    allocated_artefacts: [{ artefact_id: ctx.creditNoteSageId, amount: fromPence(ctx.amountPence) }],
  };
}

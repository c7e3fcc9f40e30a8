import type { CreditMemo } from "@/lib/magento/canonical";
import type { SalesCreditNoteCreateInput } from "@/lib/sage/schemas";
import { documentBody, type DocumentContext } from "./document";
import { toPence } from "./money";
import { documentDate, documentReference, exchangeRate } from "./reference";
import { clip } from "./text";

export interface TranslatedCreditNote {
  payload: SalesCreditNoteCreateInput;
  warnings: string[];
  totalPence: number;
}

/**
 * creditmemo.created → POST /sales_credit_notes (product-spec §3.4). The contact is the original
 * invoice's (D5), chosen by the caller. Magento's "Adjustment Refund" (adjustment_positive) adds to the
 * credit and its "Adjustment Fee" (adjustment_negative) is withheld, each as a zero-rated line.
 */
export function translateCreditNote(memo: CreditMemo, ctx: DocumentContext): TranslatedCreditNote {
  const billing = memo.customer.addresses.find((a) => a.kind === "billing");
  const body = documentBody(
    {
      lines: memo.lines,
      customer: memo.customer,
      billing,
      shipping: memo.customer.addresses.find((a) => a.kind === "shipping"),
      shippingAmount: memo.shipping_amount,
      shippingTax: memo.shipping_tax_amount,
      grandTotal: memo.grand_total,
    },
    [
      { description: "Adjustment refund", amountPence: toPence(memo.adjustment_positive) },
      { description: "Adjustment fee", amountPence: -toPence(memo.adjustment_negative) },
    ],
    ctx,
  );
  const rate = exchangeRate(memo.currency, ctx.baseCurrency, memo.base_to_order_rate);
  const against = memo.invoice_increment_id ?? (memo.invoice_id ? String(memo.invoice_id) : undefined);
  const notes = [against ? `Credit for invoice ${against}` : "Refund raised from the order", memo.reason].filter(Boolean).join(" — ");
  const payload: SalesCreditNoteCreateInput = {
    contact_id: ctx.contactId,
    date: documentDate(memo.created_at, ctx.now),
    reference: documentReference(ctx.policy.invoice_number_prefix, memo.increment_id),
    original_invoice_date: documentDate(memo.invoice_created_at ?? memo.created_at, ctx.now),
    currency_id: memo.currency.toUpperCase(),
    ...(rate !== undefined ? { exchange_rate: rate } : {}),
    ...(body.mainAddress ? { main_address: body.mainAddress } : {}),
    ...(body.deliveryAddress ? { delivery_address: body.deliveryAddress } : {}),
    notes: clip(notes, 2000),
    ...(body.shipping ?? {}),
    credit_note_lines: body.lines,
  };
  return { payload, warnings: body.warnings, totalPence: body.totalPence };
}

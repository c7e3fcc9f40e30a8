import type { Invoice } from "@/lib/magento/canonical";
import type { SalesInvoiceCreateInput } from "@/lib/sage/schemas";
import { documentBody, type DocumentContext } from "./document";
import { documentDate, documentReference, exchangeRate } from "./reference";
import { clip } from "./text";

export interface TranslatedInvoice {
  payload: SalesInvoiceCreateInput;
  warnings: string[];
  totalPence: number;
}

/** invoice.created → POST /sales_invoices (product-spec §3.2). */
export function translateInvoice(inv: Invoice, ctx: DocumentContext): TranslatedInvoice {
  const body = documentBody(
    {
      lines: inv.lines,
      customer: inv.customer,
      billing: inv.billing_address,
      shipping: inv.shipping_address,
      shippingAmount: inv.shipping_amount,
      shippingTax: inv.shipping_tax_amount,
      grandTotal: inv.grand_total,
    },
    [],
    ctx,
  );
  const rate = exchangeRate(inv.currency, ctx.baseCurrency, inv.base_to_order_rate);
  const payload: SalesInvoiceCreateInput = {
    contact_id: ctx.contactId,
    date: documentDate(inv.created_at, ctx.now),
    reference: documentReference(ctx.policy.invoice_number_prefix, inv.increment_id),
    currency_id: inv.currency.toUpperCase(),
    ...(rate !== undefined ? { exchange_rate: rate } : {}),
    ...(body.mainAddress ? { main_address: body.mainAddress } : {}),
    ...(body.deliveryAddress ? { delivery_address: body.deliveryAddress } : {}),
    ...(inv.po_number ? { notes: clip(`Purchase Order: ${inv.po_number}`, 2000) } : {}),
    ...(body.shipping ?? {}),
    invoice_lines: body.lines,
  };
  return { payload, warnings: body.warnings, totalPence: body.totalPence };
}

import { checkCreatedDocument, invoiceAmounts, type TotalMismatch } from "@/lib/books/verify-posting";
import type { Invoice } from "@/lib/magento/canonical";
import type { SageClient } from "@/lib/sage";
import { translateInvoice } from "@/lib/translate/invoice";
import { exchangeRate } from "@/lib/translate/reference";
import { resolveDocumentContact } from "./contacts";
import type { AttemptNotes } from "./engine";
import type { RunScope } from "./runs";
import { findXref, idempotencyKey, saveXref, type XrefScope } from "./xref";

/** What Ledger remembers about an invoice it put in Sage (xref `data`), for payments and credit notes. */
export interface InvoiceXrefData {
  contactId: string;
  /** the document's own reference (prefix + increment id), reused on its payment */
  reference: string;
  currency: string;
  exchangeRate?: number;
  totalPence: number;
}

export function xrefScope(scope: RunScope): XrefScope {
  return { magentoConnectionId: scope.magentoConnectionId, sageBusinessId: scope.sageBusinessId!, bindingId: scope.bindingId };
}

export interface PostedDocument {
  sageId: string;
  reference: string | null;
  created: boolean;
  warnings: string[];
  /** D11: where Sage's answer differs from Magento (kept on the xref, so a re-run reports it too) */
  mismatches: TotalMismatch[];
}

/** The mismatches a document's xref remembers from the run that created it. */
export function storedMismatches(data: Record<string, unknown>): TotalMismatch[] {
  return Array.isArray(data.mismatches) ? (data.mismatches as TotalMismatch[]) : [];
}

/**
 * Put one Magento invoice in Sage exactly once: the xref first; then contact, translation and a POST
 * whose idempotency_id is derived from the invoice, so a crash between Sage's answer and our record
 * (or a payment run posting the same invoice) replays to the same document instead of a second one.
 */
export async function ensureSalesInvoice(
  scope: RunScope,
  sage: SageClient,
  inv: Invoice,
  notes: AttemptNotes,
  now = new Date(),
): Promise<PostedDocument> {
  const xs = xrefScope(scope);
  const key = String(inv.magento_id);
  const known = await findXref(xs, "sales_invoice", key);
  if (known) {
    notes.response = { reused: true, id: known.sageId, displayed_as: known.sageReference };
    return { sageId: known.sageId, reference: known.sageReference, created: false, warnings: [], mismatches: storedMismatches(known.data) };
  }
  const contact = await resolveDocumentContact(
    { scope: xs, sage, policy: scope.policy, baseCurrency: scope.baseCurrency },
    {
      customer: inv.customer,
      currency: inv.currency,
      grandTotal: inv.grand_total,
      billing: inv.billing_address,
      shipping: inv.shipping_address,
      consolidate: true,
    },
  );
  const t = translateInvoice(inv, {
    policy: scope.policy,
    businessCountry: scope.businessCountry,
    baseCurrency: scope.baseCurrency,
    contactId: contact.contactId,
    now,
  });
  notes.payload = t.payload as never;
  const idem = idempotencyKey(xs, "sales_invoice", key);
  notes.request = {
    method: "POST",
    path: "/sales_invoices",
    reference: t.payload.reference ?? null,
    contact: contact.contactId,
    consolidated: contact.consolidated,
  };
  const doc = await sage.createSalesInvoice(t.payload, { idempotencyKey: idem });
  const mismatches = checkCreatedDocument("sales_invoice", { ...doc, lines: doc.invoice_lines }, invoiceAmounts(inv, scope.baseCurrency));
  notes.response = {
    id: doc.id,
    displayed_as: doc.displayed_as,
    total_amount: doc.total_amount ?? null,
    outstanding_amount: doc.outstanding_amount ?? null,
    matches_magento: mismatches.length === 0,
  };
  const data: InvoiceXrefData = {
    contactId: contact.contactId,
    reference: t.payload.reference ?? inv.increment_id,
    currency: inv.currency.toUpperCase(),
    exchangeRate: exchangeRate(inv.currency, scope.baseCurrency, inv.base_to_order_rate),
    totalPence: t.totalPence,
  };
  await saveXref(xs, "sales_invoice", key, {
    sageId: doc.id,
    sageReference: doc.displayed_as,
    data: { ...data, mismatches } as unknown as Record<string, unknown>,
  });
  return { sageId: doc.id, reference: doc.displayed_as, created: true, warnings: t.warnings, mismatches };
}

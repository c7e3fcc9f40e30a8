import type { z } from "zod";
import { contactPaymentSchema, salesCreditNoteSchema, salesInvoiceSchema, type SageClient } from "@/lib/sage";
import { SyncError } from "@/lib/errors";
import { toPence } from "@/lib/translate/money";
import type { SageDoc } from "./classify";
import type { DocumentType } from "./vocabulary";

/**
 * Sage's side, read honestly and cheaply (issue 16 §3): Sage's own list endpoints filtered by document
 * date, 200 items a page, only the attributes the comparison needs; then one GET per document Ledger
 * posted that the lists did not show (dated outside the window, or deleted: a 404). Every request is
 * counted, so a run reports what it cost against the business's request budget.
 */

const PAGE_SIZE = 200;
/** Pages a list may take at most: 200 × 500 = 100,000 documents, far beyond a month of any store. */
const MAX_PAGES = 500;
const ARTEFACT_ATTRIBUTES = "reference,date,status,currency,total_amount,base_currency_total_amount,deleted_at";
const PAYMENT_ATTRIBUTES = "reference,date,currency,total_amount,exchange_rate,transaction_type,deleted_at";

const LISTS: Record<DocumentType, { path: string; schema: z.ZodType; attributes: string; extra?: Record<string, string> }> = {
  invoice: { path: "/sales_invoices", schema: salesInvoiceSchema, attributes: ARTEFACT_ATTRIBUTES },
  creditmemo: { path: "/sales_credit_notes", schema: salesCreditNoteSchema, attributes: ARTEFACT_ATTRIBUTES },
  payment: {
    path: "/contact_payments",
    schema: contactPaymentSchema,
    attributes: PAYMENT_ATTRIBUTES,
    extra: { transaction_type_id: "CUSTOMER_RECEIPT" },
  },
};

type Raw = Record<string, unknown> & { id: string };
const ref = (v: unknown): string | null => (v && typeof v === "object" && "id" in v ? String((v as { id: unknown }).id) : null);
const amount = (v: unknown): number | null => (v === null || v === undefined || v === "" ? null : toPence(Number(v)));

export function toSageDoc(documentType: DocumentType, r: Raw): SageDoc {
  const total = amount(r.total_amount) ?? 0;
  const rate = Number(r.exchange_rate ?? 1) || 1;
  return {
    id: r.id,
    documentType,
    displayedAs: (r.displayed_as as string | undefined) ?? null,
    reference: (r.reference as string | null | undefined) ?? null,
    date: (r.date as string | null | undefined) ?? null,
    currency: ref(r.currency),
    statusId: ref(r.status),
    totalPence: total,
    basePence: documentType === "payment" ? Math.round(total / rate) : amount(r.base_currency_total_amount),
    deleted: !!r.deleted_at,
  };
}

export interface SageReader {
  /** requests made so far */
  calls(): number;
  /** every document of one type dated within [from, to] */
  listPeriod(type: DocumentType, from: string, to: string, onPage?: (page: number, pages: number) => Promise<void>): Promise<SageDoc[]>;
  /** one document by id; deleted (a 404) when Sage no longer has it */
  getOne(type: DocumentType, id: string): Promise<SageDoc>;
}

export function sageReader(sage: SageClient): SageReader {
  let calls = 0;
  return {
    calls: () => calls,
    async listPeriod(type, from, to, onPage) {
      const l = LISTS[type];
      const docs: SageDoc[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        calls++;
        const res = await sage.getPage(l.path, l.schema, {
          ...l.extra,
          from_date: from,
          to_date: to,
          items_per_page: PAGE_SIZE,
          page,
          attributes: l.attributes,
        });
        docs.push(...(res.items as Raw[]).map((r) => toSageDoc(type, r)));
        const pages = Math.max(1, Math.ceil((res.total ?? docs.length) / PAGE_SIZE));
        await onPage?.(page, pages);
        // Sage answers a page past the end with the last page; `$next` null (or the count) ends it.
        if (!res.next || page >= pages) return docs;
      }
      throw new SyncError("internal", `Sage list ${l.path} exceeded ${MAX_PAGES} pages`);
    },
    async getOne(type, id) {
      calls++;
      try {
        const r =
          type === "invoice"
            ? await sage.getSalesInvoice(id)
            : type === "creditmemo"
              ? await sage.getSalesCreditNote(id)
              : await sage.getContactPayment(id);
        return toSageDoc(type, r as Raw);
      } catch (e) {
        if (e instanceof SyncError && e.syncClass === "not_found") {
          return { ...toSageDoc(type, { id }), deleted: true };
        }
        throw e;
      }
    },
  };
}

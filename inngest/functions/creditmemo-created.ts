import { inngest } from "@/lib/jobs/client";
import { runWarnings } from "@/lib/books/verify-posting";
import { syncEventName } from "@/lib/jobs/events";
import { creditMemoSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateCreditMemo } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { SyncError } from "@/lib/errors";
import { resolveDocumentContact } from "@/lib/sync/contacts";
import { ensureCreditNote, settleCreditNote } from "@/lib/sync/credit-notes";
import { attemptStep } from "@/lib/sync/engine";
import { syncFlowControl } from "@/lib/jobs/flow-control";
import { syncRunHandler } from "@/lib/sync/handler";
import { xrefScope } from "@/lib/sync/invoices";
import { creditMemoSummary } from "@/lib/sync/summary";
import { waitForInvoice, type InvoiceInSage } from "@/lib/sync/waiting";

/**
 * creditmemo.created → a Sage credit note on the ORIGINAL invoice's contact (never re-routed by B2C
 * consolidation), allocated to the invoice or refunded (decisions D5). A memo whose invoice is not in
 * Sage yet waits for it. A memo refunded from the order without an invoice goes on the customer's
 * contact by the usual rules and stays open. Sage's figures are checked against Magento's (D11).
 */
export default inngest.createFunction(
  {
    id: "sync-creditmemo-created",
    name: "Credit memo → Sage credit note",
    triggers: [{ event: syncEventName("creditmemo.created") }],
    ...syncFlowControl,
  },
  syncRunHandler({
    async fetch(scope, notes) {
      notes.request = { method: "GET", path: `/rest/V1/byte8/creditmemo/${scope.magentoEntityId}` };
      return (await magentoClientForConnection(scope.magentoConnectionId)).getCreditMemo(scope.magentoEntityId);
    },
    parse: (raw) => creditMemoSchema.parse(raw),
    summary: creditMemoSummary,
    decide: (memo, scope) => evaluateCreditMemo(memo, { websiteId: scope.websiteId, storeId: scope.storeId }, scope.policy),
    async sync({ step, scope, entity: memo }) {
      let invoice: InvoiceInSage | null = null;
      if (memo.invoice_id) {
        const found = await waitForInvoice(step, scope, memo.invoice_id);
        if (!found || found.state !== "in_sage") {
          throw new SyncError(
            "not_found",
            `Invoice ${memo.invoice_increment_id ?? memo.invoice_id} is not in Sage; sync it, then retry this credit memo.`,
          );
        }
        invoice = found.invoice;
      }
      const contactId = invoice
        ? invoice.data.contactId
        : (
            await attemptStep(step, scope, "resolve-contact", async (_notes, run) =>
              resolveDocumentContact(
                {
                  scope: xrefScope(run),
                  sage: await sageClientForBinding(run.bindingId),
                  policy: run.policy,
                  baseCurrency: run.baseCurrency,
                },
                { customer: memo.customer, currency: memo.currency, grandTotal: memo.grand_total, consolidate: true },
              ),
            )
          ).contactId;
      const note = await attemptStep(step, scope, "post-credit-note", async (notes, run) =>
        ensureCreditNote(run, await sageClientForBinding(run.bindingId), memo, contactId, notes),
      );
      const mismatches = [...note.mismatches];
      if (invoice) {
        const inv = invoice;
        const settled = await attemptStep(step, scope, "allocate", async (notes, run) =>
          settleCreditNote(run, await sageClientForBinding(run.bindingId), memo, note, inv, notes),
        );
        mismatches.push(...settled.mismatches);
      }
      return { providerEntityId: note.sageId, providerReference: note.reference, ...runWarnings(note.warnings, mismatches) };
    },
  }),
);

import { inngest } from "@/lib/jobs/client";
import { runWarnings, type TotalMismatch } from "@/lib/books/verify-posting";
import { syncEventName } from "@/lib/jobs/events";
import { invoiceSchema, paymentSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluatePayment } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { SyncError } from "@/lib/errors";
import { attemptStep } from "@/lib/sync/engine";
import { announceInvoice } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/jobs/flow-control";
import { syncRunHandler } from "@/lib/sync/handler";
import { ensureSalesInvoice } from "@/lib/sync/invoices";
import { ensurePayment } from "@/lib/sync/payments";
import { invoiceSummary } from "@/lib/sync/summary";
import { lookupInvoice, waitForInvoice, type InvoiceLookup } from "@/lib/sync/waiting";

/**
 * invoice.paid → a customer receipt allocated to the invoice (product-spec §3.3). The bank account
 * comes from the payment-method map; the invoice must be in Sage first, so a payment that arrives
 * before its invoice waits for it, and one whose invoice will never be posted otherwise (it was
 * skipped as unpaid) posts the invoice itself. Sage must then show the invoice settled (D11).
 */
export default inngest.createFunction(
  {
    id: "sync-invoice-paid",
    name: "Invoice paid → Sage receipt",
    triggers: [{ event: syncEventName("invoice.paid") }],
    ...syncFlowControl,
  },
  syncRunHandler({
    async fetch(scope, notes) {
      notes.request = { method: "GET", path: `/rest/V1/byte8/payment/${scope.magentoEntityId}` };
      const magento = await magentoClientForConnection(scope.magentoConnectionId);
      const [payment, invoice] = await Promise.all([magento.getPayment(scope.magentoEntityId), magento.getInvoice(scope.magentoEntityId)]);
      return { payment, invoice };
    },
    parse: (raw) => {
      const r = raw as { payment: unknown; invoice: unknown };
      return { payment: paymentSchema.parse(r.payment), invoice: invoiceSchema.parse(r.invoice) };
    },
    summary: (e) => invoiceSummary(e.invoice),
    decide: (e, scope) => evaluatePayment(e.invoice, e.payment.method, scope.policy),
    async sync({ step, scope, entity, decision }) {
      let found: InvoiceLookup | null = await waitForInvoice(step, scope, scope.magentoEntityId);
      if (!found)
        throw new SyncError("not_found", `Invoice ${entity.invoice.increment_id} has not reached Sage; retry this payment once it has.`);
      const mismatches: TotalMismatch[] = [];
      const warnings: string[] = [];
      if (found.state === "orphan") {
        const posted = await attemptStep(step, scope, "post-invoice", async (notes, run) =>
          ensureSalesInvoice(run, await sageClientForBinding(run.bindingId), entity.invoice, notes),
        );
        mismatches.push(...posted.mismatches);
        warnings.push(...posted.warnings);
        await announceInvoice(step, scope.bindingId, scope.magentoEntityId);
        found = (await step.run("find-posted-invoice", () => lookupInvoice(scope, scope.magentoEntityId))) as InvoiceLookup;
      }
      if (found.state !== "in_sage") throw new SyncError("internal", "The invoice was posted but its cross-reference is missing.");
      const invoice = found.invoice;
      const result = await attemptStep(step, scope, "post-payment", async (notes, run) =>
        ensurePayment(run, await sageClientForBinding(run.bindingId), entity.payment, invoice, decision.bankAccountId, notes),
      );
      const checked = runWarnings(warnings, [...mismatches, ...result.mismatches]);
      return result.sageId
        ? { providerEntityId: result.sageId, providerReference: result.reference, ...checked }
        : { providerEntityId: invoice.sageId, providerReference: invoice.reference, ...checked };
    },
  }),
);

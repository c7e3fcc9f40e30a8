import { inngest } from "@/inngest/client";
import { syncEventName, type SyncRequestedData } from "@/inngest/events";
import { invoiceSchema, paymentSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluatePayment } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { SyncError } from "@/lib/errors";
import { attemptStep, failRun, startRun } from "@/lib/sync/engine";
import { announceInvoice, pushLater, settle } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/sync/function-config";
import { ensureSalesInvoice } from "@/lib/sync/invoices";
import { ensurePayment } from "@/lib/sync/payments";
import { saveEntitySummary } from "@/lib/sync/runs";
import { invoiceSummary } from "@/lib/sync/summary";
import { lookupInvoice, waitForInvoice, type InvoiceInSage } from "@/lib/sync/waiting";

/**
 * invoice.paid → a customer receipt allocated to the invoice (product-spec §3.3). The bank account
 * comes from the payment-method map; the invoice must be in Sage first, so a payment that arrives
 * before its invoice waits for it, and one whose invoice will never be posted otherwise (it was
 * skipped as unpaid) posts the invoice itself.
 */
export default inngest.createFunction(
  { id: "sync-invoice-paid", name: "Invoice paid → Sage receipt", triggers: [{ event: syncEventName("invoice.paid") }], ...syncFlowControl },
  async ({ event, step }) => {
    const { runId } = event.data as SyncRequestedData;
    const start = await startRun(step, runId);
    if (!start.go) return { skipped: start.why };
    const { scope } = start;
    try {
      const fetched = await attemptStep(step, runId, "fetch-canonical", async (notes) => {
        notes.request = { method: "GET", path: `/rest/V1/byte8/payment/${scope.magentoEntityId}` };
        const magento = await magentoClientForConnection(scope.magentoConnectionId);
        const [payment, invoice] = await Promise.all([magento.getPayment(scope.magentoEntityId), magento.getInvoice(scope.magentoEntityId)]);
        await saveEntitySummary(runId, invoiceSummary(invoice));
        return { payment, invoice };
      }, "failures");
      const payment = paymentSchema.parse(fetched.payment);
      const inv = invoiceSchema.parse(fetched.invoice);

      const decision = await step.run("apply-policy", async () => evaluatePayment(inv, payment.method, scope.policy));
      if (decision.action === "skip") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: decision.reason });
        return { skipped: decision.reason };
      }

      let found = await waitForInvoice(step, scope, scope.magentoEntityId);
      if (!found) throw new SyncError("not_found", `Invoice ${inv.increment_id} has not reached Sage; retry this payment once it has.`);
      if (found.state === "orphan") {
        await attemptStep(step, runId, "post-invoice", async (notes) => ensureSalesInvoice(scope, await sageClientForBinding(scope.bindingId), inv, notes));
        await announceInvoice(step, scope.bindingId, scope.magentoEntityId);
        found = (await step.run("find-posted-invoice", () => lookupInvoice(scope, scope.magentoEntityId))) as typeof found;
      }
      if (found.state !== "in_sage") throw new SyncError("internal", "The invoice was posted but its cross-reference is missing.");
      const invoice: InvoiceInSage = found.invoice;

      const result = await attemptStep(step, runId, "post-payment", async (notes) =>
        ensurePayment(scope, await sageClientForBinding(scope.bindingId), payment, invoice, decision.bankAccountId, notes),
      );
      await settle(step, runId, {
        status: "succeeded",
        providerEntityId: result.sageId ?? invoice.sageId,
        providerReference: result.sageId ? result.reference : invoice.reference,
      });
      return result;
    } catch (e) {
      await failRun(step, runId, e);
      await pushLater(step, runId);
      return { failed: true };
    }
  },
);

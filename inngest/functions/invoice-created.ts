import { inngest } from "@/inngest/client";
import { syncEventName, type SyncRequestedData } from "@/inngest/events";
import { invoiceSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateInvoice } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { attemptStep, failRun, startRun } from "@/lib/sync/engine";
import { announceInvoice, pushLater, settle } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/sync/function-config";
import { ensureSalesInvoice } from "@/lib/sync/invoices";
import { saveEntitySummary } from "@/lib/sync/runs";
import { invoiceSummary } from "@/lib/sync/summary";

/** invoice.created → an outstanding Sage sales invoice (product-spec §3.2). */
export default inngest.createFunction(
  { id: "sync-invoice-created", name: "Invoice created → Sage sales invoice", triggers: [{ event: syncEventName("invoice.created") }], ...syncFlowControl },
  async ({ event, step }) => {
    const { runId } = event.data as SyncRequestedData;
    const start = await startRun(step, runId);
    if (!start.go) return { skipped: start.why };
    const { scope } = start;
    try {
      const invoice = await attemptStep(step, runId, "fetch-canonical", async (notes) => {
        notes.request = { method: "GET", path: `/rest/V1/byte8/invoice/${scope.magentoEntityId}` };
        const inv = await (await magentoClientForConnection(scope.magentoConnectionId)).getInvoice(scope.magentoEntityId);
        await saveEntitySummary(runId, invoiceSummary(inv));
        return inv;
      }, "failures");
      const inv = invoiceSchema.parse(invoice);

      const decision = await step.run("apply-policy", async () => evaluateInvoice(inv, scope.policy));
      if (decision.action === "skip") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: decision.reason });
        return { skipped: decision.reason };
      }

      const posted = await attemptStep(step, runId, "post-invoice", async (notes) =>
        ensureSalesInvoice(scope, await sageClientForBinding(scope.bindingId), inv, notes),
      );
      await settle(step, runId, { status: "succeeded", providerEntityId: posted.sageId, providerReference: posted.reference, warnings: posted.warnings });
      await announceInvoice(step, scope.bindingId, scope.magentoEntityId);
      return { sageId: posted.sageId, reference: posted.reference };
    } catch (e) {
      await failRun(step, runId, e);
      await pushLater(step, runId);
      return { failed: true };
    }
  },
);

import { inngest } from "@/lib/jobs/client";
import { runWarnings } from "@/lib/books/verify-posting";
import { syncEventName } from "@/lib/jobs/events";
import { invoiceSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateInvoice } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { attemptStep } from "@/lib/sync/engine";
import { announceInvoice } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/jobs/flow-control";
import { syncRunHandler } from "@/lib/sync/handler";
import { ensureSalesInvoice } from "@/lib/sync/invoices";
import { invoiceSummary } from "@/lib/sync/summary";

/** invoice.created → an outstanding Sage sales invoice (product-spec §3.2), checked against Magento (D11). */
export default inngest.createFunction(
  {
    id: "sync-invoice-created",
    name: "Invoice created → Sage sales invoice",
    triggers: [{ event: syncEventName("invoice.created") }],
    ...syncFlowControl,
  },
  syncRunHandler({
    async fetch(scope, notes) {
      notes.request = { method: "GET", path: `/rest/V1/byte8/invoice/${scope.magentoEntityId}` };
      return (await magentoClientForConnection(scope.magentoConnectionId)).getInvoice(scope.magentoEntityId);
    },
    parse: (raw) => invoiceSchema.parse(raw),
    summary: invoiceSummary,
    decide: (inv, scope) => evaluateInvoice(inv, scope.policy),
    async sync({ step, scope, entity }) {
      const posted = await attemptStep(step, scope, "post-invoice", async (notes, run) =>
        ensureSalesInvoice(run, await sageClientForBinding(run.bindingId), entity, notes),
      );
      return { providerEntityId: posted.sageId, providerReference: posted.reference, ...runWarnings(posted.warnings, posted.mismatches) };
    },
    afterSuccess: ({ step, scope }) => announceInvoice(step, scope.bindingId, scope.magentoEntityId),
  }),
);

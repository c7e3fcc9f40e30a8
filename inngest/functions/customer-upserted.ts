import { inngest } from "@/inngest/client";
import { syncEventName, type SyncRequestedData } from "@/inngest/events";
import { contactSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateCustomer } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { upsertCustomerContact } from "@/lib/sync/contacts";
import { attemptStep, failRun, startRun } from "@/lib/sync/engine";
import { pushLater, settle } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/sync/function-config";
import { xrefScope } from "@/lib/sync/invoices";
import { saveEntitySummary } from "@/lib/sync/runs";
import { customerSummary } from "@/lib/sync/summary";

/**
 * customer.upserted → the customer's Sage contact in the business's base currency, created or updated
 * (product-spec §3.5). Contacts in other currencies are created when a document in that currency needs
 * one. The canonical record is always re-fetched: Magento's outbox sends one event per customer while
 * its row exists, so the event itself says nothing about what changed.
 */
export default inngest.createFunction(
  { id: "sync-customer-upserted", name: "Customer saved → Sage contact", triggers: [{ event: syncEventName("customer.upserted") }], ...syncFlowControl },
  async ({ event, step }) => {
    const { runId } = event.data as SyncRequestedData;
    const start = await startRun(step, runId);
    if (!start.go) return { skipped: start.why };
    const { scope } = start;
    try {
      const customer = contactSchema.parse(
        await attemptStep(step, runId, "fetch-canonical", async (notes) => {
          notes.request = { method: "GET", path: `/rest/V1/byte8/customer/${scope.magentoEntityId}` };
          const c = await (await magentoClientForConnection(scope.magentoConnectionId)).getCustomer(scope.magentoEntityId);
          await saveEntitySummary(runId, customerSummary(c));
          return c;
        }, "failures"),
      );
      const decision = await step.run("apply-policy", async () => evaluateCustomer(customer, scope.policy));
      if (decision.action === "skip") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: decision.reason });
        return { skipped: decision.reason };
      }
      const contact = await attemptStep(step, runId, "upsert-contact", async (notes) => {
        const sage = await sageClientForBinding(scope.bindingId);
        const out = await upsertCustomerContact({ scope: xrefScope(scope), sage, policy: scope.policy, baseCurrency: scope.baseCurrency }, customer);
        notes.response = { id: out.contactId, reference: out.reference, updated: out.updated };
        return out;
      });
      await settle(step, runId, { status: "succeeded", providerEntityId: contact.contactId, providerReference: contact.reference });
      return contact;
    } catch (e) {
      await failRun(step, runId, e);
      await pushLater(step, runId);
      return { failed: true };
    }
  },
);

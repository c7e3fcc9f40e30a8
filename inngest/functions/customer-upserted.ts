import { inngest } from "@/lib/jobs/client";
import { syncEventName } from "@/lib/jobs/events";
import { contactSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateCustomer } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { upsertCustomerContact } from "@/lib/sync/contacts";
import { attemptStep } from "@/lib/sync/engine";
import { syncFlowControl } from "@/lib/jobs/flow-control";
import { syncRunHandler } from "@/lib/sync/handler";
import { xrefScope } from "@/lib/sync/invoices";
import { customerSummary } from "@/lib/sync/summary";

/**
 * customer.upserted → the customer's Sage contact in the business's base currency, created or updated
 * (product-spec §3.5), and every other currency variant Ledger created refreshed too (D12). Contacts in
 * other currencies are created when a document in that currency needs one. The canonical record is
 * always re-fetched: Magento's outbox sends one event per customer while its row exists, so the event
 * itself says nothing about what changed.
 */
export default inngest.createFunction(
  {
    id: "sync-customer-upserted",
    name: "Customer saved → Sage contact",
    triggers: [{ event: syncEventName("customer.upserted") }],
    ...syncFlowControl,
  },
  syncRunHandler({
    async fetch(scope, notes) {
      notes.request = { method: "GET", path: `/rest/V1/byte8/customer/${scope.magentoEntityId}` };
      return (await magentoClientForConnection(scope.magentoConnectionId)).getCustomer(scope.magentoEntityId);
    },
    parse: (raw) => contactSchema.parse(raw),
    summary: customerSummary,
    decide: (customer, scope) => evaluateCustomer(customer, scope.policy),
    async sync({ step, scope, entity }) {
      const contact = await attemptStep(step, scope, "upsert-contact", async (notes, run) => {
        const sage = await sageClientForBinding(run.bindingId);
        const out = await upsertCustomerContact(
          { scope: xrefScope(run), sage, policy: run.policy, baseCurrency: run.baseCurrency },
          entity,
        );
        notes.response = { id: out.contactId, reference: out.reference, updated: out.updated, variants: out.variants };
        return out;
      });
      return { providerEntityId: contact.contactId, providerReference: contact.reference };
    },
  }),
);

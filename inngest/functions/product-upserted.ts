import { inngest } from "@/lib/jobs/client";
import { syncEventName } from "@/lib/jobs/events";
import { productSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateProduct } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { attemptStep } from "@/lib/sync/engine";
import { syncFlowControl } from "@/lib/jobs/flow-control";
import { syncRunHandler } from "@/lib/sync/handler";
import { syncCatalogueItem } from "@/lib/sync/products";
import { productSummary } from "@/lib/sync/summary";

/**
 * product.upserted → Sage product / service / stock item, plus a stock movement when stock is synced
 * (product-spec §3.6, D7). Fired by both product saves and stock-item saves in Magento; a save that
 * changed nothing Sage holds is recorded as `stock_sync_disabled` when only stock could have changed.
 */
export default inngest.createFunction(
  {
    id: "sync-product-upserted",
    name: "Product saved → Sage item",
    triggers: [{ event: syncEventName("product.upserted") }],
    ...syncFlowControl,
  },
  syncRunHandler({
    async fetch(scope, notes) {
      notes.request = { method: "GET", path: `/rest/V1/byte8/product/${scope.magentoEntityId}` };
      return (await magentoClientForConnection(scope.magentoConnectionId)).getProduct(scope.magentoEntityId);
    },
    parse: (raw) => productSchema.parse(raw),
    summary: productSummary,
    decide: (product, scope) => evaluateProduct(product, scope.policy),
    async sync({ step, scope, entity, decision }) {
      const result = await attemptStep(step, scope, `post-${decision.route.replace("_", "-")}`, async (notes, run) =>
        syncCatalogueItem(run, await sageClientForBinding(run.bindingId), entity, decision.route, notes),
      );
      if (result.outcome === "stock_only_change") return { action: "skip", reason: "stock_sync_disabled" };
      return { providerEntityId: result.sageId, providerReference: result.reference };
    },
  }),
);

import { inngest } from "@/inngest/client";
import { syncEventName, type SyncRequestedData } from "@/inngest/events";
import { productSchema } from "@/lib/magento/canonical";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import { evaluateProduct } from "@/lib/policy/evaluate";
import { sageClientForBinding } from "@/lib/sage/custody";
import { attemptStep, failRun, startRun } from "@/lib/sync/engine";
import { pushLater, settle } from "@/lib/sync/finish";
import { syncFlowControl } from "@/lib/sync/function-config";
import { syncCatalogueItem } from "@/lib/sync/products";
import { saveEntitySummary } from "@/lib/sync/runs";
import { productSummary } from "@/lib/sync/summary";

/**
 * product.upserted → Sage product / service / stock item, plus a stock movement when stock is synced
 * (product-spec §3.6, D7). Fired by both product saves and stock-item saves in Magento; a save that
 * changed nothing Sage holds is recorded as `stock_sync_disabled` when only stock could have changed.
 */
export default inngest.createFunction(
  { id: "sync-product-upserted", name: "Product saved → Sage item", triggers: [{ event: syncEventName("product.upserted") }], ...syncFlowControl },
  async ({ event, step }) => {
    const { runId } = event.data as SyncRequestedData;
    const start = await startRun(step, runId);
    if (!start.go) return { skipped: start.why };
    const { scope } = start;
    try {
      const product = productSchema.parse(
        await attemptStep(step, runId, "fetch-canonical", async (notes) => {
          notes.request = { method: "GET", path: `/rest/V1/byte8/product/${scope.magentoEntityId}` };
          const p = await (await magentoClientForConnection(scope.magentoConnectionId)).getProduct(scope.magentoEntityId);
          await saveEntitySummary(runId, productSummary(p));
          return p;
        }, "failures"),
      );
      const decision = await step.run("apply-policy", async () => evaluateProduct(product, scope.policy));
      if (decision.action === "skip") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: decision.reason });
        return { skipped: decision.reason };
      }
      const result = await attemptStep(step, runId, `post-${decision.route.replace("_", "-")}`, async (notes) =>
        syncCatalogueItem(scope, await sageClientForBinding(scope.bindingId), product, decision.route, notes),
      );
      if (result.outcome === "stock_only_change") {
        await settle(step, runId, { status: "skipped_by_policy", reasonCode: "stock_sync_disabled" });
        return { skipped: "stock_sync_disabled" };
      }
      await settle(step, runId, { status: "succeeded", providerEntityId: result.sageId, providerReference: result.reference });
      return result;
    } catch (e) {
      await failRun(step, runId, e);
      await pushLater(step, runId);
      return { failed: true };
    }
  },
);

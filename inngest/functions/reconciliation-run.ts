import { inngest } from "@/lib/jobs/client";
import { RECONCILIATION_EVENT, parseEventData, reconciliationRequested } from "@/lib/jobs/events";
import { SAGE_PARALLEL_STEPS } from "@/lib/jobs/flow-control";
import { failReconciliation, runReconciliation } from "@/lib/reconciliation/run";

/**
 * Runs one reconciliation (lib/reconciliation/run.ts). It takes one of the Sage business's concurrency
 * slots (the same `sageKey` key as the sync runs, env-scoped so they share it), one reconciliation per
 * binding at a time; a transient Sage failure (429, 5xx) retries the whole comparison, which replaces its
 * rows. When the retries are spent the row is marked failed with the reason.
 */
export default inngest.createFunction(
  {
    id: "reconciliation-run",
    name: "Reconcile a period with Sage",
    triggers: [{ event: RECONCILIATION_EVENT }],
    retries: 3,
    concurrency: [
      { key: "event.data.bindingId", limit: 1 },
      { key: "event.data.sageKey", limit: SAGE_PARALLEL_STEPS, scope: "env" },
    ],
    onFailure: async ({ event, error }) => {
      const data = reconciliationRequested.safeParse(event.data.event.data);
      if (data.success) await failReconciliation(data.data.reconciliationId, error.message);
    },
  },
  async ({ event, step }) => {
    const { reconciliationId } = parseEventData(reconciliationRequested, event);
    return step.run("reconcile", () => runReconciliation(reconciliationId));
  },
);

import { NonRetriableError } from "inngest";
import { SyncError } from "@/lib/errors";
import { inngest } from "@/lib/jobs/client";
import { parseEventData, SYNC_STATE_PUSH_EVENT, syncStatePushData } from "@/lib/jobs/events";
import { MagentoDisconnectedError } from "@/lib/magento/client-for";
import { pushRunState } from "@/lib/sync/state-push";

/**
 * Push a settled run's chip to Magento's mirror. Its own function (with its own retries) so a Magento
 * outage never holds up or re-runs the Sage side; one push per Magento store at a time keeps the
 * merchant's server calm during a backfill.
 */
export default inngest.createFunction(
  {
    id: "sync-state-push",
    name: "Push sync state to Magento",
    triggers: [{ event: SYNC_STATE_PUSH_EVENT }],
    retries: 10,
    concurrency: [{ key: "event.data.runId", limit: 1 }],
  },
  async ({ event, step }) => {
    const { runId } = parseEventData(syncStatePushData, event);
    return step.run("push", async () => {
      try {
        const sent = await pushRunState(runId);
        return sent ? { pushed: true, sync_status: sent.sync_status } : { pushed: false };
      } catch (e) {
        // A disconnected store or a body Magento rejects will not get better by retrying; Magento's
        // own 401 may (the merchant re-pairs), so that one keeps its retries.
        if (e instanceof MagentoDisconnectedError) throw new NonRetriableError(e.message, { cause: e });
        if (e instanceof SyncError && !e.retryable && e.syncClass !== "auth") throw new NonRetriableError(e.message, { cause: e });
        throw e;
      }
    });
  },
);

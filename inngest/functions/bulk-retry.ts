import { inngest } from "@/lib/jobs/client";
import { BULK_RETRY_EVENT, bulkRetryRequested, parseEventData } from "@/lib/jobs/events";
import { finishBulkRetry, processBulkRetryPage, type PageResult } from "@/lib/history/bulk-retry";

/**
 * Works through a BulkRetry job one page per durable step, so progress survives restarts and the
 * dashboard's counters move while it runs. One job per tenant at a time.
 */
export default inngest.createFunction(
  {
    id: "bulk-retry",
    name: "Bulk retry of sync runs",
    triggers: [{ event: BULK_RETRY_EVENT }],
    retries: 3,
    concurrency: [{ key: "event.data.tenantId", limit: 1 }],
    onFailure: async ({ event }) => {
      const data = bulkRetryRequested.safeParse(event.data.event.data);
      if (data.success) await finishBulkRetry(data.data.tenantId, data.data.bulkRetryId, "failed");
    },
  },
  async ({ event, step }) => {
    const { tenantId, bulkRetryId } = parseEventData(bulkRetryRequested, event);
    let cursor: string | null = null;
    let page = 0;
    let totals = { done: 0, failed: 0 };
    do {
      const current: string | null = cursor;
      const r: PageResult = await step.run(`retry-page-${page}`, (): Promise<PageResult> =>
        processBulkRetryPage({ tenantId, bulkRetryId, cursor: current }),
      );
      totals = { done: totals.done + r.done, failed: totals.failed + r.failed };
      cursor = r.nextCursor;
      page++;
    } while (cursor);
    await step.run("finish", () => finishBulkRetry(tenantId, bulkRetryId));
    return totals;
  },
);

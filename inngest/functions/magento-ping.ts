import { inngest } from "@/lib/jobs/client";
import { pingConnectedStores } from "@/lib/magento/liveness";

/**
 * Every two minutes: a signed ping to every connected Magento store, recording whether it answered
 * (the binding page's "Last reached", Home's and the Magento tile's colour). One run at a time; a
 * missed round is simply the next round, so no retries.
 */
export default inngest.createFunction(
  { id: "magento-ping", name: "Ping connected Magento stores", triggers: [{ cron: "*/2 * * * *" }], retries: 0, concurrency: { limit: 1 } },
  async ({ step }) => step.run("ping-stores", () => pingConnectedStores()),
);

import { inngest } from "@/lib/jobs/client";
import { flushDigests } from "@/lib/notifications/digest";
import { redispatchStale } from "@/lib/notifications/dispatch";
import { raiseExpiringSageGrants } from "@/lib/alerts/sage-grants";

/**
 * Every minute: note Sage grants about to expire, batch raised alerts into digests (at most one per
 * kind per workspace every 15 minutes) and hand their deliveries to alert-deliver; re-send deliveries
 * whose hand-over was lost. One run at a time; a missed minute is simply the next one.
 */
export default inngest.createFunction(
  { id: "alerts-digest", name: "Batch and send alert digests", triggers: [{ cron: "* * * * *" }], retries: 0, concurrency: { limit: 1 } },
  async ({ step }) => {
    const expiring = await step.run("expiring-sage-grants", () => raiseExpiringSageGrants());
    const flushed = await step.run("flush-digests", () => flushDigests());
    const redispatched = await step.run("redispatch", () => redispatchStale());
    return { expiring, ...flushed, redispatched };
  },
);

import { inngest } from "@/lib/jobs/client";
import { recoverExpiredLeases } from "@/lib/sync/lease";
import { sweepStaleRuns } from "@/lib/sync/sweep";

/**
 * Every two minutes: re-send lost dispatches and start runs whose Sage connection came up; then
 * recover (or, after too many tries, fail) runs stuck `running` past their lease.
 */
export default inngest.createFunction(
  { id: "runs-sweep", name: "Re-dispatch stale sync runs", triggers: [{ cron: "*/2 * * * *" }], retries: 1 },
  async ({ step }) => {
    const stale = await step.run("sweep", () => sweepStaleRuns());
    const leases = await step.run("recover-leases", async () => {
      const r = await recoverExpiredLeases();
      return { recovered: r.recovered.length, failed: r.failed.length };
    });
    return { ...stale, leases };
  },
);

import { inngest } from "@/inngest/client";
import { sweepStaleRuns } from "@/lib/sync/sweep";

/** Every two minutes: re-send lost dispatches and start runs whose Sage connection came up. */
export default inngest.createFunction(
  { id: "runs-sweep", name: "Re-dispatch stale sync runs", triggers: [{ cron: "*/2 * * * *" }], retries: 1 },
  async ({ step }) => step.run("sweep", () => sweepStaleRuns()),
);

import { inngest } from "@/lib/jobs/client";
import { scheduleDailyReconciliations } from "@/lib/reconciliation/request";

/** Every day at 03:00 UTC: reconcile yesterday for every binding with Sage connected. */
export default inngest.createFunction(
  { id: "reconciliation-schedule", name: "Daily reconciliation", triggers: [{ cron: "0 3 * * *" }], retries: 1 },
  async ({ step }) => step.run("request", () => scheduleDailyReconciliations()),
);

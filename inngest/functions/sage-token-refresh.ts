import { inngest } from "@/lib/jobs/client";
import { refreshExpiringTokens } from "@/lib/sage/custody";

/**
 * Refresh Sage access tokens ahead of expiry (they live 5 minutes), so a sync step rarely pays for a
 * refresh; refresh tokens that are close to their 31-day end are rotated too.
 */
export default inngest.createFunction(
  { id: "sage-token-refresh", name: "Refresh Sage tokens ahead of expiry", triggers: [{ cron: "* * * * *" }], retries: 1 },
  async ({ step }) => step.run("refresh", () => refreshExpiringTokens({ withinSeconds: 150 })),
);

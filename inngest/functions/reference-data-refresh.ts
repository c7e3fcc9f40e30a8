import { inngest } from "@/lib/jobs/client";
import { db } from "@/lib/db";
import { refreshReferenceData } from "@/lib/sage/reference-data";
import { expireAbandonedSelections } from "@/lib/bindings/sage-business";

/**
 * Hourly: rebuild each active binding's Sage reference data (tax rates, ledger and bank accounts,
 * currencies) once it is older than 24 h, one binding per step so one failing business does not hold
 * up the rest; and clear business pickers nobody finished.
 */
export default inngest.createFunction(
  { id: "reference-data-refresh", name: "Refresh Sage reference data", triggers: [{ cron: "17 * * * *" }], retries: 2 },
  async ({ step }) => {
    const due = await step.run("find-stale", async () => {
      const cutoff = new Date(Date.now() - 24 * 3600_000);
      const bindings = await db().binding.findMany({
        where: { status: "active", OR: [{ referenceData: { none: {} } }, { referenceData: { some: { fetchedAt: { lt: cutoff } } } }] },
        select: { id: true },
      });
      return bindings.map((b) => b.id);
    });
    const results: Record<string, string> = {};
    for (const bindingId of due) {
      results[bindingId] = await step.run(`refresh-${bindingId}`, async () => {
        try {
          await refreshReferenceData(bindingId);
          return "refreshed";
        } catch (e) {
          return `failed: ${e instanceof Error ? e.message : String(e)}`;
        }
      });
    }
    await step.run("expire-selections", () => expireAbandonedSelections());
    return results;
  },
);

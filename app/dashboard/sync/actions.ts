"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { parseHistoryFilter } from "@/lib/history/filter";
import { formAction } from "@/lib/http/action";
import { startBulkRetry } from "@/lib/history/bulk-retry";
import { retryRun } from "@/lib/sync/retry";

/** Retry one run, or every failed/skipped run the current filter shows. Role and tenant come from the session, never from the form. */

const spec = { access: "retryRuns", returnTo: "/dashboard/sync" } as const;

export const retryRunAction = formAction(
  { ...spec, name: "sync.retryRun", input: z.object({ runId: z.uuid("No such sync run.") }) },
  async ({ runId }, ctx) => {
    await retryRun({ tenantId: ctx.tenant.id, runId, actorUserId: ctx.user.id });
    revalidatePath("/dashboard/sync");
    return "Queued again — this run will update here in a moment.";
  },
);

/** The filter arrives as the history page's URL query. */
export const startBulkRetryAction = formAction(
  {
    ...spec,
    name: "sync.startBulkRetry",
    input: z.object({
      filter: z
        .string("That filter could not be read; reload the page and try again.")
        .max(2000, "That filter could not be read; reload the page and try again.")
        .default(""),
    }),
  },
  async ({ filter }, ctx) => {
    const job = await startBulkRetry({
      tenantId: ctx.tenant.id,
      actorUserId: ctx.user.id,
      filter: parseHistoryFilter(new URLSearchParams(filter)),
    });
    revalidatePath("/dashboard/sync");
    return `Retrying ${job.total} run${job.total === 1 ? "" : "s"}.`;
  },
);

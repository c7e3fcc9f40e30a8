"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { requireTenantContext } from "@/lib/auth/context";
import { isAppError } from "@/lib/errors";
import { parseHistoryFilter } from "@/lib/history/filter";
import { log } from "@/lib/log";
import { startBulkRetry } from "@/lib/sync/bulk-retry";
import { retryRun } from "@/lib/sync/retry";

export interface ActionState {
  ok: boolean;
  message: string;
}

/** Never echo internals: our own AppErrors are written for operators, anything else is not. */
function failure(e: unknown, what: string): ActionState {
  unstable_rethrow(e); // the sign-in redirect of an expired session must still happen
  if (isAppError(e)) return { ok: false, message: e.message };
  log.error({ err: e, action: what }, "dashboard action failed");
  return { ok: false, message: "Something went wrong on our side; nothing was changed. Try again in a minute." };
}

/** Retry one run. Role and tenant come from the session, never from the form. */
export async function retryRunAction(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  try {
    const ctx = await requireTenantContext("retryRuns", "/dashboard/sync");
    const runId = z.uuid().safeParse(form.get("runId"));
    if (!runId.success) return { ok: false, message: "No such sync run." };
    await retryRun({ tenantId: ctx.tenant.id, runId: runId.data, actorUserId: ctx.user.id });
    revalidatePath("/dashboard/sync");
    return { ok: true, message: "Queued again — this run will update here in a moment." };
  } catch (e) {
    return failure(e, "retryRun");
  }
}

/** Retry every failed/skipped run the current filter shows (the filter arrives as URL params). */
export async function startBulkRetryAction(_prev: ActionState | null, form: FormData): Promise<ActionState> {
  try {
    const ctx = await requireTenantContext("retryRuns", "/dashboard/sync");
    const params = z.string().max(2000).safeParse(form.get("filter") ?? "");
    if (!params.success) return { ok: false, message: "That filter could not be read; reload the page and try again." };
    const job = await startBulkRetry({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, filter: parseHistoryFilter(new URLSearchParams(params.data)) });
    revalidatePath("/dashboard/sync");
    return { ok: true, message: `Retrying ${job.total} run${job.total === 1 ? "" : "s"}.` };
  } catch (e) {
    return failure(e, "startBulkRetry");
  }
}

import { NextResponse } from "next/server";
import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { retryRun } from "@/lib/sync/retry";

const params = z.object({ tenantId: z.uuid(), runId: z.uuid() });

/** Retry one run: operators and above of that tenant only (403 otherwise, 404 for unknown runs). */
export const POST = route("runs.retry", async (_req, ctx: { params: Promise<{ tenantId: string; runId: string }> }) => {
  const p = params.safeParse(await ctx.params);
  if (!p.success) throw new AppError("not_found", "No such sync run.");
  const access = await requireTenantAccess(p.data.tenantId, "retryRuns");
  await retryRun({ tenantId: p.data.tenantId, runId: p.data.runId, actorUserId: access.user.id });
  return NextResponse.json({ data: { runId: p.data.runId, status: "queued" } }, { status: 202 });
});

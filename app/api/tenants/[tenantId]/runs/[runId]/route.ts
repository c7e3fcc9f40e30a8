import { NextResponse } from "next/server";
import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { getRunDetail } from "@/lib/history/detail";
import { route } from "@/lib/http/route";

const params = z.object({ tenantId: z.uuid(), runId: z.string().max(64) });

/** One run with its attempts and payload diffs; another tenant's run id answers 404 like a missing one. */
export const GET = route("runs.detail", async (_req, ctx: { params: Promise<{ tenantId: string; runId: string }> }) => {
  const p = params.safeParse(await ctx.params);
  if (!p.success) throw new AppError("not_found", "No such sync run.");
  await requireTenantAccess(p.data.tenantId, "read");
  const run = await getRunDetail(p.data.tenantId, p.data.runId);
  if (!run) throw new AppError("not_found", "No such sync run.");
  return NextResponse.json({ data: run });
});

import { NextResponse } from "next/server";
import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

const params = z.object({ tenantId: z.uuid() });

/** The tenant's bindings (no secrets). Members only; any other caller gets 401/403. */
export const GET = route("bindings.list", async (_req, ctx: { params: Promise<{ tenantId: string }> }) => {
  const parsed = params.safeParse(await ctx.params);
  if (!parsed.success) throw new AppError("not_found", "No such workspace.");
  await requireTenantAccess(parsed.data.tenantId, "read");
  return NextResponse.json({ data: await listBindingSummaries(parsed.data.tenantId) });
});

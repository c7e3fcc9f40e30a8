import { NextResponse } from "next/server";
import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { getBulkRetry } from "@/lib/history/bulk-retry";

const params = z.object({ tenantId: z.uuid(), bulkRetryId: z.string().max(64) });

/** Progress of a bulk retry (total, done, failed, status), for polling clients. */
export const GET = route("runs.bulkRetry", async (_req, ctx: { params: Promise<{ tenantId: string; bulkRetryId: string }> }) => {
  const p = params.safeParse(await ctx.params);
  if (!p.success) throw new AppError("not_found", "No such bulk retry.");
  await requireTenantAccess(p.data.tenantId, "read");
  const job = await getBulkRetry(p.data.tenantId, p.data.bulkRetryId);
  if (!job) throw new AppError("not_found", "No such bulk retry.");
  return NextResponse.json({ data: job });
});

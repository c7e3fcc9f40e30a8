import { NextResponse } from "next/server";
import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { parseHistoryFilter } from "@/lib/history/filter";
import { countRuns, listRuns } from "@/lib/history/query";
import { route } from "@/lib/http/route";

const params = z.object({ tenantId: z.uuid() });
const query = z.object({
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  counts: z.enum(["1"]).optional(),
});

/** The history as JSON (same filter params as /dashboard/sync), for scripts and exports. */
export const GET = route("runs.list", async (req, ctx: { params: Promise<{ tenantId: string }> }) => {
  const p = params.safeParse(await ctx.params);
  if (!p.success) throw new AppError("not_found", "No such workspace.");
  await requireTenantAccess(p.data.tenantId, "read");
  const url = new URL(req.url);
  const q = query.safeParse(Object.fromEntries(url.searchParams));
  const opts = q.success ? q.data : {};
  const filter = parseHistoryFilter(url.searchParams);
  const [page, counts] = await Promise.all([
    listRuns(p.data.tenantId, filter, { cursor: opts.cursor, limit: opts.limit }),
    opts.counts ? countRuns(p.data.tenantId, filter) : Promise.resolve(undefined),
  ]);
  return NextResponse.json({ data: page.rows, nextCursor: page.nextCursor, ...(counts ? { counts } : {}) });
});

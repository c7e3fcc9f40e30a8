import { z } from "zod";
import { requireTenantAccess } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { reconciliationCsv } from "@/lib/reconciliation/queries";

const params = z.object({ tenantId: z.uuid(), reconciliationId: z.uuid() });

/** One reconciliation's rows as CSV. Members only; another workspace's reconciliation is not found. */
export const GET = route("reconciliations.csv", async (_req, ctx: { params: Promise<{ tenantId: string; reconciliationId: string }> }) => {
  const parsed = params.safeParse(await ctx.params);
  if (!parsed.success) throw new AppError("not_found", "No such reconciliation.");
  await requireTenantAccess(parsed.data.tenantId, "read");
  const csv = await reconciliationCsv(parsed.data.tenantId, parsed.data.reconciliationId);
  return new Response(csv.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csv.filename}"`,
      "cache-control": "private, no-store",
    },
  });
});

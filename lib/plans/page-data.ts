import { db } from "@/lib/db";
import type { PlanTier } from "@/src/generated/prisma/enums";
import { planGatingEnabled } from "./index";

/** What the Plan page shows about one workspace: its plan, whether gating is on, and the last change. */
export interface PlanPageData {
  tier: PlanTier;
  gating: boolean;
  lastChange: { at: string; from: PlanTier | null } | null;
}

export async function planPageData(tenantId: string): Promise<PlanPageData> {
  const [tenant, change] = await Promise.all([
    db().tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { planTier: true } }),
    db().auditLog.findFirst({
      where: { tenantId, action: "plan.changed" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true, data: true },
    }),
  ]);
  const from = (change?.data as { from?: PlanTier } | null)?.from ?? null;
  return { tier: tenant.planTier, gating: planGatingEnabled(), lastChange: change ? { at: change.createdAt.toISOString(), from } : null };
}

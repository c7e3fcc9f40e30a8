import { db } from "@/lib/db";
import { raiseAlert } from "./raise";

/**
 * "The grant is about to expire": a Sage refresh token that will lapse within GRANT_WARNING_MS cannot
 * be renewed by Ledger (only a merchant reconnecting can), so it is raised once per grant, early enough
 * to act. Keyed by the expiry, so a reconnect (a new grant) raises afresh when its turn comes.
 */

export const GRANT_WARNING_MS = 7 * 86_400_000;

export async function raiseExpiringSageGrants(now = new Date()): Promise<number> {
  const expiring = await db().sageConnection.findMany({
    where: { status: "active", refreshTokenExpiresAt: { gt: now, lt: new Date(now.getTime() + GRANT_WARNING_MS) } },
    select: { id: true, tenantId: true, businessName: true, refreshTokenExpiresAt: true },
    take: 500,
  });
  let raised = 0;
  for (const c of expiring) {
    const at = c.refreshTokenExpiresAt!;
    raised += await raiseAlert({
      tenantId: c.tenantId,
      kind: "sage_reconnect",
      items: [
        {
          key: `sage:${c.id}:expires:${at.toISOString()}`,
          summary: `Sage business "${c.businessName}" must be reconnected before ${at.toISOString().slice(0, 16).replace("T", " ")} UTC, when Sage's grant expires`,
          link: "/dashboard/bindings",
        },
      ],
    });
  }
  return raised;
}

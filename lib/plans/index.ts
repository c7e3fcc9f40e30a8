import os from "node:os";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { policySchema } from "@/lib/policy/schema";
import { featuresFor, planGatingEnabled, TIER_ORDER, type TierFeatures } from "@/lib/policy/tiers";
import type { PlanTier } from "@/src/generated/prisma/enums";

/**
 * A workspace's plan: read for gating and the Plan page, changed by operators (`npm run ops -- plan`,
 * scripts/ops/cli.ts), audited. A self-hosted install switches gating off with
 * LEDGER_PLAN_GATING=false: every plan then includes every feature.
 */

const log = childLog({ component: "plans" });

export const planTierSchema = z.enum(TIER_ORDER as [PlanTier, ...PlanTier[]]);

// Gating is part of the tier matrix (policy/tiers.ts): settings validation needs it without reaching up here.
export { featuresFor, planGatingEnabled };

/** A workspace by id, or by its exact name (case-insensitive) when that names exactly one. */
export async function findWorkspace(ref: string): Promise<{ id: string; name: string; planTier: PlanTier }> {
  const select = { id: true, name: true, planTier: true } as const;
  const trimmed = ref.trim();
  if (z.uuid().safeParse(trimmed).success) {
    const byId = await db().tenant.findUnique({ where: { id: trimmed }, select });
    if (byId) return byId;
  }
  const byName = await db().tenant.findMany({ where: { name: { equals: trimmed, mode: "insensitive" } }, select, take: 6 });
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new AppError(
      "conflict",
      `${byName.length} workspaces are called "${trimmed}"; name one by id: ${byName.map((t) => t.id).join(", ")}`,
    );
  }
  throw new AppError("not_found", `No workspace with the id or name "${trimmed}".`);
}

export interface PlanChange {
  workspace: { id: string; name: string };
  from: PlanTier;
  to: PlanTier;
  changed: boolean;
  /** Bindings whose saved settings use a feature the new plan lacks (they keep working until next saved). */
  overLimit: { bindingId: string; features: (keyof TierFeatures)[] }[];
}

/**
 * Sets a workspace's plan, with an audit entry naming who did it and through what. Changing to the
 * current plan is a no-op (and not audited).
 */
export async function changeWorkspacePlan(input: {
  workspace: string;
  tier: string;
  actor: { via: string; operator?: string };
}): Promise<PlanChange> {
  const tier = planTierSchema.safeParse(input.tier.trim().toLowerCase());
  if (!tier.success) throw new AppError("bad_request", `Unknown plan "${input.tier}". Plans: ${TIER_ORDER.join(", ")}.`);
  const to = tier.data;
  const found = await findWorkspace(input.workspace);
  const operator = input.actor.operator ?? safeUsername();

  const from = await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ plan_tier: PlanTier }[]>`SELECT plan_tier FROM tenants WHERE id = ${found.id}::uuid FOR UPDATE`;
    if (row.plan_tier === to) return row.plan_tier;
    await tx.tenant.update({ where: { id: found.id }, data: { planTier: to } });
    await audit(
      {
        tenantId: found.id,
        actorType: "system",
        action: "plan.changed",
        targetType: "tenant",
        targetId: found.id,
        data: { from: row.plan_tier, to, via: input.actor.via, operator },
      },
      tx,
    );
    return row.plan_tier;
  });
  const changed = from !== to;
  if (changed) log.info({ tenantId: found.id, from, to, via: input.actor.via, operator }, "workspace plan changed");
  return { workspace: { id: found.id, name: found.name }, from, to, changed, overLimit: await bindingsOverLimit(found.id, to) };
}

async function bindingsOverLimit(tenantId: string, tier: PlanTier): Promise<PlanChange["overLimit"]> {
  const features = featuresFor(tier);
  const bindings = await db().binding.findMany({
    where: { tenantId, status: { not: "revoked" } },
    select: { id: true, policies: { orderBy: { version: "desc" }, take: 1, select: { settings: true } } },
  });
  return bindings.flatMap((b) => {
    const parsed = policySchema.safeParse(b.policies[0]?.settings ?? {});
    if (!parsed.success) return [];
    const over = (["products", "stock"] as const).filter(
      (f) => (f === "products" ? parsed.data.sync_products : parsed.data.sync_stock) && !features[f],
    );
    return over.length ? [{ bindingId: b.id, features: [...over] }] : [];
  });
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return "unknown";
  }
}

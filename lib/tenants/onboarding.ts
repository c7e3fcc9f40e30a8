import { db } from "@/lib/db";

export interface OnboardingState {
  magentoPaired: boolean;
  sageConnected: boolean;
  settingsReviewed: boolean;
  firstSync: boolean;
}

/** The first-run checklist (pair Magento → connect Sage → review settings → first sync), from real data. */
export async function onboardingState(tenantId: string): Promise<OnboardingState> {
  const [magento, activeBinding, savedPolicy, succeeded] = await Promise.all([
    db().magentoConnection.count({ where: { tenantId, status: { in: ["active", "pending"] } } }),
    db().binding.count({ where: { tenantId, status: "active" } }),
    db().syncPolicy.count({ where: { binding: { tenantId }, savedById: { not: null } } }),
    db().syncRun.count({ where: { tenantId, status: "succeeded" } }),
  ]);
  return { magentoPaired: magento > 0, sageConnected: activeBinding > 0, settingsReviewed: savedPolicy > 0, firstSync: succeeded > 0 };
}

export function onboardingComplete(s: OnboardingState): boolean {
  return s.magentoPaired && s.sageConnected && s.settingsReviewed && s.firstSync;
}

export interface OnboardingTargets {
  /** The first binding still waiting for Sage (Connect Sage continues with it). */
  pendingSageBindingId: string | null;
  /** The first live binding (its settings are the ones to review). */
  activeBindingId: string | null;
  /** The store to raise a first invoice in. */
  storeUrl: string | null;
}

/** Where each checklist step's link goes, for this tenant's own bindings. */
export async function onboardingTargets(tenantId: string): Promise<OnboardingTargets> {
  const bindings = await db().binding.findMany({
    where: { tenantId, status: { in: ["pending_sage", "active"] } },
    orderBy: { createdAt: "asc" },
    select: { id: true, status: true, magentoConnection: { select: { baseUrl: true } } },
  });
  const pending = bindings.find((b) => b.status === "pending_sage");
  const active = bindings.find((b) => b.status === "active");
  return {
    pendingSageBindingId: pending?.id ?? null,
    activeBindingId: active?.id ?? null,
    storeUrl: (active ?? pending)?.magentoConnection.baseUrl ?? null,
  };
}

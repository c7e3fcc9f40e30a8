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

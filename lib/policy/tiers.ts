import type { PlanTier } from "@/src/generated/prisma/enums";

/**
 * What each plan includes — the one place the tier matrix lives (product-spec §1.8). The settings
 * page explains it from here and `validate.ts` rejects a save that enables more than the binding's
 * plan with `tier_limit_exceeded`.
 */
export interface TierFeatures {
  /** `sync_products`: simple → products, virtual/downloadable → services */
  products: boolean;
  /** `sync_stock`: managed-stock simples as stock items with stock movements */
  stock: boolean;
}

export const TIER_FEATURES: Record<PlanTier, TierFeatures> = {
  trial: { products: false, stock: false },
  starter: { products: false, stock: false },
  growth: { products: true, stock: false },
  scale: { products: true, stock: true },
  enterprise: { products: true, stock: true },
};

export const TIER_LABEL: Record<PlanTier, string> = {
  trial: "Trial",
  starter: "Starter",
  growth: "Growth",
  scale: "Scale",
  enterprise: "Enterprise",
};

/** The cheapest plan that includes a feature, for "available from the Growth plan" hints. */
export function lowestTierWith(feature: keyof TierFeatures): PlanTier {
  const order: PlanTier[] = ["trial", "starter", "growth", "scale", "enterprise"];
  return order.find((t) => TIER_FEATURES[t][feature]) ?? "enterprise";
}

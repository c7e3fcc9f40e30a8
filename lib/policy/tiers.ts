import { env } from "@/lib/env";
import type { PlanTier } from "@/src/generated/prisma/enums";

/**
 * What each plan includes — the one place the tier matrix lives (product-spec §1.8). The settings
 * page and the Plan page explain it from here, and `validate.ts` rejects a save that enables more
 * than the workspace's plan with `tier_limit_exceeded`, naming the plan that unlocks it.
 */
export interface TierFeatures {
  /** `sync_products`: simple → products, virtual/downloadable → services */
  products: boolean;
  /** `sync_stock`: managed-stock simples as stock items with stock movements */
  stock: boolean;
}
export type GatedFeature = keyof TierFeatures;

export const TIER_FEATURES: Record<PlanTier, TierFeatures> = {
  trial: { products: false, stock: false },
  starter: { products: false, stock: false },
  growth: { products: true, stock: false },
  scale: { products: true, stock: true },
  enterprise: { products: true, stock: true },
};

/** Cheapest first. */
export const TIER_ORDER: readonly PlanTier[] = ["trial", "starter", "growth", "scale", "enterprise"];

export const TIER_LABEL: Record<PlanTier, string> = {
  trial: "Trial",
  starter: "Starter",
  growth: "Growth",
  scale: "Scale",
  enterprise: "Enterprise",
};

export const TIER_SUMMARY: Record<PlanTier, string> = {
  trial: "14 days, no card: documents and customers flow to Sage as on Starter.",
  starter: "Invoices, payments, credit notes and customers, in every currency.",
  growth: "Starter, plus your Magento catalogue as Sage products and services.",
  scale: "Growth, plus stock levels kept in step as Sage stock items.",
  enterprise: "Everything, with terms agreed for larger stores.",
};

/** The cheapest plan that includes a feature, for "available from the Growth plan" hints. */
export function lowestTierWith(feature: GatedFeature): PlanTier {
  return TIER_ORDER.find((t) => TIER_FEATURES[t][feature]) ?? "enterprise";
}

/** One row of the Plan page: what a merchant gets, and from which plan (`gate` null = every plan). */
export interface PlanFeatureRow {
  label: string;
  description: string;
  gate: GatedFeature | null;
}

export const PLAN_FEATURE_ROWS: readonly PlanFeatureRow[] = [
  {
    label: "Invoices and payments",
    description: "Magento invoices become Sage sales invoices; payments are allocated to them.",
    gate: null,
  },
  {
    label: "Credit notes and refunds",
    description: "Credit memos become Sage credit notes, allocated or refunded as in Magento.",
    gate: null,
  },
  { label: "Customers", description: "One Sage contact per customer and currency, or one consolidated B2C contact.", gate: null },
  { label: "Multi-currency", description: "Documents in the order's currency at Magento's exchange rate.", gate: null },
  { label: "Sync history and retry", description: "Every attempt recorded, failures retried one by one or in bulk.", gate: null },
  { label: "Product sync", description: "Simple products become Sage products; virtual and downloadable ones services.", gate: "products" },
  { label: "Stock sync", description: "Managed-stock products become Sage stock items, reconciled with stock movements.", gate: "stock" },
];

/** Does `tier` include the row's feature? */
export function tierIncludes(tier: PlanTier, gate: GatedFeature | null): boolean {
  return gate === null || TIER_FEATURES[tier][gate];
}

/** Whether plans gate features on this install (a self-hosted install sets LEDGER_PLAN_GATING=false). */
export function planGatingEnabled(): boolean {
  return env().LEDGER_PLAN_GATING;
}

/** What a workspace on `tier` may use on this install. */
export function featuresFor(tier: PlanTier, gating = planGatingEnabled()): TierFeatures {
  return gating ? TIER_FEATURES[tier] : { products: true, stock: true };
}

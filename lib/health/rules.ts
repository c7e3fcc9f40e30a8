import type { TileHealth } from "@/lib/magento/health";

/**
 * The health colour of a binding, by the exact rules of the Magento module's dashboard tile
 * (wire-protocol §4.4, product-spec §1.9), so the merchant sees the same verdict in Magento and in
 * Ledger. Pure: callers assemble the tile-shaped input (lib/magento/health.ts builds it for Magento,
 * lib/health/bindings.ts for the dashboard's per-binding cards). Whether Ledger can reach the store
 * (the liveness cron's `magento` block) is woven in: unreachable for 10 minutes is red, one failed
 * ping amber, with Magento's own error as the reason.
 */

export type HealthTone = "green" | "amber" | "red" | "grey";
export type HealthWords = "Connected" | "Needs attention" | "Disconnected";

export interface HealthVerdict {
  tone: HealthTone;
  words: HealthWords;
  /** One line saying why, in the tile's own terms. */
  reason: string;
  /** Where the fix is, when there is one the merchant can act on. */
  action: "repair_magento" | "finish_setup" | "reconnect_sage" | "review_failures" | "check_magento" | null;
}

export interface HealthInput {
  /** false when the store holds no credentials for us any more (the tile's "not connected locally"). */
  connected: boolean;
  /** null when the health could not be read (the tile's empty or failed fetch). */
  health: TileHealth | null;
}

/**
 * The binding status the dashboard reports while Sage custody has parked the connection: the binding
 * row itself stays `active`, but nothing can post until the merchant signs in to Sage again.
 */
export const SAGE_NEEDS_RECONNECT = "needs_reconnect";

const WORDS: Record<HealthTone, HealthWords> = {
  green: "Connected",
  amber: "Needs attention",
  red: "Needs attention",
  grey: "Disconnected",
};

const verdict = (tone: HealthTone, reason: string, action: HealthVerdict["action"] = null): HealthVerdict => ({
  tone,
  words: WORDS[tone],
  reason,
  action,
});

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Rules in the tile's order; the first that matches decides. */
export function healthVerdict({ connected, health }: HealthInput): HealthVerdict {
  if (!connected) return verdict("grey", "The store is not connected to Ledger. Pair it again to resume syncing.", "repair_magento");
  if (!health) return verdict("grey", "Health is unknown: Ledger could not read it.");
  const { tenant, binding, sync } = health;
  if (tenant.magento_connection_status === "token_revoked") {
    return verdict("red", "Magento rejected Ledger's key on the last signed call. Pair the store again.", "repair_magento");
  }
  const reach = health.magento;
  const magentoSaid = reach.last_error ? `: ${reach.last_error}` : ".";
  if (reach.status === "unreachable") {
    return verdict("red", `Magento has not answered Ledger for over 10 minutes${magentoSaid}`, "check_magento");
  }
  // A failing store reports `pending` to Magento's tile (amber there); here it has its own words below.
  if ((tenant.magento_connection_status === "pending" && reach.status !== "failing") || binding.status === "") {
    return verdict("amber", "Finish setup: connect Sage to this store.", "finish_setup");
  }
  if (binding.status === SAGE_NEEDS_RECONNECT) {
    return verdict("red", "Sage stopped accepting Ledger's sign-in. Reconnect Sage; waiting documents are kept.", "reconnect_sage");
  }
  if (binding.status !== "active") return verdict("red", `The binding is ${binding.status.replaceAll("_", " ")}.`, "finish_setup");
  if (sync.failed_24h > 0)
    return verdict("red", `${plural(sync.failed_24h, "failure", "failures")} in the last 24 hours.`, "review_failures");
  if (reach.status === "failing") return verdict("amber", `Magento did not answer Ledger's last ping${magentoSaid}`, "check_magento");
  if (sync.pending_count > 0) return verdict("amber", `${plural(sync.pending_count, "document", "documents")} waiting to sync.`);
  return verdict("green", `Connected to Sage (${binding.region.toUpperCase() || "—"}).`);
}

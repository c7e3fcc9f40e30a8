/**
 * Can Ledger reach the merchant's Magento? Decided from what the liveness cron recorded
 * (lib/magento/liveness.ts): the last answer, and since when pings have failed. One failed ping
 * turns the store amber ("failing"); ten minutes of failures turn it red ("unreachable"). Pure, so
 * Home, the binding page, the Magento tile and the alert hook share one verdict.
 */

export const MAGENTO_UNREACHABLE_AFTER_MS = 10 * 60_000;

export type MagentoReachStatus = "reachable" | "failing" | "unreachable" | "unknown";

/** The `magento` block of the tile-shaped health (lib/magento/health.ts). */
export interface MagentoReach {
  status: MagentoReachStatus;
  /** RFC 3339, or null when Magento has never answered a ping */
  last_reached_at: string | null;
  /** the first failed ping since the last answer; null while reachable */
  unreachable_since: string | null;
  /** Magento's own message from the last failure (or ours when it never answered) */
  last_error: string | null;
}

export interface ReachRow {
  lastReachedAt: Date | null;
  lastPingError: string | null;
  unreachableSince: Date | null;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function reachStatus(row: ReachRow, now: Date): MagentoReachStatus {
  if (row.unreachableSince)
    return now.getTime() - row.unreachableSince.getTime() >= MAGENTO_UNREACHABLE_AFTER_MS ? "unreachable" : "failing";
  return row.lastReachedAt ? "reachable" : "unknown";
}

export function magentoReach(row: ReachRow, now: Date): MagentoReach {
  return {
    status: reachStatus(row, now),
    last_reached_at: row.lastReachedAt ? rfc3339(row.lastReachedAt) : null,
    unreachable_since: row.unreachableSince ? rfc3339(row.unreachableSince) : null,
    last_error: row.lastPingError,
  };
}

/** The binding status the Magento tile is given once the store has been unreachable for 10 minutes. */
export const TILE_MAGENTO_UNREACHABLE = "magento_unreachable";

/**
 * The fields Magento's own tile reads, bent so it shows what the merchant must know: the PHP block
 * only turns red for a binding status other than `active` and amber for a `pending` connection
 * (wire-protocol §4.4), so a failing store reports `pending` (amber; the config page then says
 * "Waiting for ledger") and an unreachable one the binding status `magento_unreachable` (red). A
 * revoked key or a disconnected store keeps its own, stronger signal.
 */
export function tileStatusesFor(
  reach: MagentoReachStatus,
  statuses: { magento_connection_status: string; binding_status: string },
): { magento_connection_status: string; binding_status: string } {
  if (statuses.magento_connection_status === "token_revoked" || statuses.magento_connection_status === "revoked") return statuses;
  if (reach === "unreachable") return { ...statuses, binding_status: TILE_MAGENTO_UNREACHABLE };
  if (reach === "failing") return { ...statuses, magento_connection_status: "pending" };
  return statuses;
}

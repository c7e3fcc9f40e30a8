import { childLog } from "@/lib/log";

/**
 * THE hook for the "Magento unreachable" alert. lib/magento/liveness.ts calls it exactly once per
 * outage: when a store's pings have failed for 10 minutes (the moment it turns red). Alert delivery
 * (per-member choices, the workspace webhook, the sent log) is not built yet; until it is, this
 * writes one structured warning an operator's log alerting can match on (`alert: magento_unreachable`).
 */

export interface MagentoUnreachable {
  tenantId: string;
  connectionId: string;
  baseUrl: string;
  /** the first failed ping of this outage */
  since: Date;
  lastReachedAt: Date | null;
  /** Magento's own message from the latest failure */
  error: string;
}

const log = childLog({ component: "alerts" });

export async function raiseMagentoUnreachableAlert(event: MagentoUnreachable): Promise<void> {
  log.warn(
    {
      alert: "magento_unreachable",
      tenantId: event.tenantId,
      connectionId: event.connectionId,
      magentoHost: hostOf(event.baseUrl),
      since: event.since.toISOString(),
      lastReachedAt: event.lastReachedAt?.toISOString() ?? null,
      error: event.error,
    },
    "Magento has not answered Ledger for 10 minutes",
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid base URL)";
  }
}

import { raiseAlert } from "@/lib/alerts/raise";
import { childLog } from "@/lib/log";

/**
 * THE hook for the "Magento unreachable" alert. lib/magento/liveness.ts calls it exactly once per
 * outage: when a store's pings have failed for 10 minutes (the moment it turns red). It raises a
 * `magento_unreachable` alert (lib/alerts: digests to members and the workspace webhook), keyed by the
 * outage's start so a repeated call is one alert, and keeps the structured warning an operator's log
 * alerting can match on (`alert: magento_unreachable`).
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
  const host = hostOf(event.baseUrl);
  log.warn(
    {
      alert: "magento_unreachable",
      tenantId: event.tenantId,
      connectionId: event.connectionId,
      magentoHost: host,
      since: event.since.toISOString(),
      lastReachedAt: event.lastReachedAt?.toISOString() ?? null,
      error: event.error,
    },
    "Magento has not answered Ledger for 10 minutes",
  );
  await raiseAlert({
    tenantId: event.tenantId,
    kind: "magento_unreachable",
    items: [
      {
        key: `magento:${event.connectionId}:${event.since.toISOString()}`,
        summary: `Magento at ${host} has not answered since ${event.since.toISOString().slice(0, 16).replace("T", " ")} UTC: ${event.error}`,
        link: "/dashboard/bindings",
      },
    ],
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid base URL)";
  }
}

import { db } from "@/lib/db";
import { reachStatus, type MagentoReachStatus } from "@/lib/magento/reach";

/** One binding as its detail page shows it — both ends, never a secret column — scoped to the tenant. */

export interface BindingDetail {
  id: string;
  status: "pending_sage" | "active" | "revoked";
  createdAt: string;
  revokedAt: string | null;
  magento: {
    id: string;
    baseUrl: string;
    status: string;
    pairedAt: string | null;
    revokedAt: string | null;
    /** Can Ledger reach the store right now, when it last answered, and Magento's last error (lib/magento/reach.ts) */
    reach: MagentoReachStatus;
    lastReachedAt: string | null;
    unreachableSince: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
  };
  sage: {
    id: string;
    businessId: string;
    businessName: string;
    region: string;
    status: string;
    lastRefreshError: string | null;
    revokedAt: string | null;
  } | null;
  /** When the oldest cached reference list was fetched; null when there is no cache. */
  referenceFetchedAt: string | null;
  /** What a disconnect keeps, counted for the confirmation. */
  kept: { syncRuns: number; crossReferences: number };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function getBindingDetail(tenantId: string, bindingId: string, now = new Date()): Promise<BindingDetail | null> {
  const b = await db().binding.findFirst({
    where: { id: bindingId, tenantId },
    select: {
      id: true,
      status: true,
      createdAt: true,
      revokedAt: true,
      magentoConnection: {
        select: {
          id: true,
          baseUrl: true,
          status: true,
          pairedAt: true,
          revokedAt: true,
          lastReachedAt: true,
          lastPingError: true,
          lastPingErrorAt: true,
          unreachableSince: true,
        },
      },
      sageConnection: {
        select: { id: true, businessId: true, businessName: true, region: true, status: true, lastRefreshError: true, revokedAt: true },
      },
    },
  });
  if (!b) return null;
  const [reference, syncRuns, crossReferences] = await Promise.all([
    db().sageReferenceData.aggregate({ where: { bindingId: b.id }, _min: { fetchedAt: true } }),
    db().syncRun.count({ where: { tenantId, bindingId: b.id } }),
    db().entityXref.count({
      where: {
        magentoConnectionId: b.magentoConnection.id,
        ...(b.sageConnection ? { sageBusinessId: b.sageConnection.businessId } : { bindingId: b.id }),
      },
    }),
  ]);
  const m = b.magentoConnection;
  const s = b.sageConnection;
  return {
    id: b.id,
    status: b.status,
    createdAt: b.createdAt.toISOString(),
    revokedAt: iso(b.revokedAt),
    magento: {
      id: m.id,
      baseUrl: m.baseUrl,
      status: m.status,
      pairedAt: iso(m.pairedAt),
      revokedAt: iso(m.revokedAt),
      reach: reachStatus(m, now),
      lastReachedAt: iso(m.lastReachedAt),
      unreachableSince: iso(m.unreachableSince),
      lastError: m.lastPingError,
      lastErrorAt: iso(m.lastPingErrorAt),
    },
    sage: s
      ? {
          id: s.id,
          businessId: s.businessId,
          businessName: s.businessName,
          region: s.region,
          status: s.status,
          lastRefreshError: s.lastRefreshError,
          revokedAt: iso(s.revokedAt),
        }
      : null,
    referenceFetchedAt: iso(reference._min.fetchedAt),
    kept: { syncRuns, crossReferences },
  };
}

/** The store's host for display; the stored text when it does not parse. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** "store.example.com ↔ Acme Ltd (UK)" — how a binding is named everywhere in the dashboard. */
export function bindingTitle(magentoBaseUrl: string, sage: { businessName: string; region: string } | null): string {
  const host = hostOf(magentoBaseUrl);
  return sage?.businessName ? `${host} ↔ ${sage.businessName} (${sage.region.toUpperCase()})` : `${host} ↔ Sage not connected`;
}

import { db } from "@/lib/db";

export interface BindingSummary {
  id: string;
  status: string;
  magento: { id: string; baseUrl: string; status: string };
  sage: { businessId: string; businessName: string; region: string; status: string } | null;
  createdAt: string;
}

/** Bindings of one tenant as the dashboard and API show them — never any secret column. */
export async function listBindingSummaries(tenantId: string): Promise<BindingSummary[]> {
  const rows = await db().binding.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      createdAt: true,
      magentoConnection: { select: { id: true, baseUrl: true, status: true } },
      sageConnection: { select: { businessId: true, businessName: true, region: true, status: true } },
    },
  });
  return rows.map((b) => ({
    id: b.id,
    status: b.status,
    magento: b.magentoConnection,
    sage: b.sageConnection,
    createdAt: b.createdAt.toISOString(),
  }));
}

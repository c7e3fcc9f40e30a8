import { db } from "@/lib/db";
import { kindTitle } from "./message";

/**
 * The alert log page's rows: every delivery of the workspace, newest first — what was sent (the
 * digest's kind, count and link), to whom, over which channel, and whether it arrived.
 */

export interface AlertLogRow {
  id: string;
  createdAt: string;
  kind: string;
  title: string;
  count: number;
  firstItem: string | null;
  link: string;
  channel: "email" | "webhook";
  recipient: string;
  status: "pending" | "sent" | "failed" | "off";
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

export async function listAlertLog(tenantId: string, limit = 200): Promise<AlertLogRow[]> {
  const rows = await db().alertDelivery.findMany({
    where: { tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    include: { digest: { select: { kind: true, count: true, items: true, link: true, test: true } } },
  });
  return rows.map((r) => {
    const items = (r.digest.items ?? []) as { summary?: string }[];
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      kind: r.digest.test ? "test" : r.digest.kind,
      title: kindTitle(r.digest.test ? "test" : r.digest.kind),
      count: r.digest.count,
      firstItem: items[0]?.summary ?? null,
      link: r.digest.link,
      channel: r.channel === "webhook" ? "webhook" : "email",
      recipient: r.recipient,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      sentAt: r.sentAt?.toISOString() ?? null,
    };
  });
}

import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { childLog } from "@/lib/log";
import { EMAIL_OFF, emailEnabled } from "./channels";
import { dispatchDeliveries } from "./dispatch";
import { DIGEST_ITEMS, DIGEST_WINDOW_MS, isAlertKind, type AlertKind } from "@/lib/alerts/kinds";
import { DEFAULT_FILTER } from "@/lib/history/filter";
import { historyHref } from "@/lib/history/href";
import { emailRecipients } from "./preferences";

/**
 * Batching: a workspace's undigested events of one kind become one digest, at most once per
 * DIGEST_WINDOW_MS per kind (events raised meanwhile wait for the next one). Each digest gets one
 * delivery row per recipient and channel, then one Inngest event per row does the sending.
 * A per-(workspace, kind) advisory lock keeps two cron runs from making two digests of the same events.
 */

const log = childLog({ component: "alerts.digest" });

interface DigestItem {
  summary: string;
  link: string | null;
}

export interface FlushResult {
  digests: number;
  deliveries: number;
}

export async function flushDigests({ now = new Date(), tenantId }: { now?: Date; tenantId?: string } = {}): Promise<FlushResult> {
  const groups = await db().alertEvent.groupBy({ by: ["tenantId", "kind"], where: { digestId: null, ...(tenantId ? { tenantId } : {}) } });
  const out: FlushResult = { digests: 0, deliveries: 0 };
  for (const g of groups) {
    try {
      const ids = await digestOne(g.tenantId, g.kind, now);
      if (!ids) continue;
      out.digests += 1;
      out.deliveries += ids.length;
      await dispatchDeliveries(ids.map((id) => ({ id, tenantId: g.tenantId })));
    } catch (err) {
      log.error({ err, tenantId: g.tenantId, kind: g.kind }, "could not make an alert digest");
    }
  }
  return out;
}

async function digestOne(tenantId: string, kind: string, now: Date): Promise<string[] | null> {
  if (!isAlertKind(kind)) return null;
  const emails = await emailRecipients(tenantId, kind);
  const webhook = await db().alertWebhook.findUnique({ where: { tenantId }, select: { host: true } });
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`alerts:${tenantId}:${kind}`}))`;
    const last = await tx.alertDigest.findFirst({ where: { tenantId, kind, test: false }, orderBy: { createdAt: "desc" } });
    if (last && now.getTime() - last.createdAt.getTime() < DIGEST_WINDOW_MS) return null;
    const events = await tx.alertEvent.findMany({ where: { tenantId, kind, digestId: null }, orderBy: { createdAt: "asc" } });
    if (!events.length) return null;
    const items: DigestItem[] = events.slice(0, DIGEST_ITEMS).map((e) => ({ summary: e.summary, link: e.link }));
    const newest = events[events.length - 1];
    const link = digestLinkOf(newest.data) ?? defaultDigestLink(kind);
    const digest = await tx.alertDigest.create({
      data: { tenantId, kind, count: events.length, items: items as unknown as Prisma.InputJsonValue, link, createdAt: now },
    });
    await tx.alertEvent.updateMany({ where: { id: { in: events.map((e) => e.id) } }, data: { digestId: digest.id } });
    return createDeliveries(tx, tenantId, digest.id, emails, webhook?.host ?? null, now);
  });
}

/** One delivery row per recipient and channel; email rows are recorded as `off` when no SMTP server is set. */
export async function createDeliveries(
  tx: Prisma.TransactionClient,
  tenantId: string,
  digestId: string,
  emails: string[],
  webhookHost: string | null,
  now: Date,
): Promise<string[]> {
  const smtp = emailEnabled();
  const rows: Prisma.AlertDeliveryCreateManyInput[] = emails.map((to) => ({
    tenantId,
    digestId,
    channel: "email",
    recipient: to,
    createdAt: now,
    ...(smtp ? {} : { status: "off" as const, lastError: EMAIL_OFF }),
  }));
  if (webhookHost) rows.push({ tenantId, digestId, channel: "webhook", recipient: webhookHost, createdAt: now });
  const created = await tx.alertDelivery.createManyAndReturn({ data: rows, select: { id: true, status: true } });
  return created.filter((r) => r.status === "pending").map((r) => r.id);
}

function digestLinkOf(data: Prisma.JsonValue): string | null {
  if (data && typeof data === "object" && !Array.isArray(data) && typeof data.digestLink === "string") return data.digestLink;
  return null;
}

/** "Send test": a digest outside the 15-minute window, to the member who asked and the webhook. */
export async function sendTestAlert(
  tenantId: string,
  email: string | null,
  now = new Date(),
  toWebhook = true,
): Promise<{ deliveries: number }> {
  const webhook = toWebhook ? await db().alertWebhook.findUnique({ where: { tenantId }, select: { host: true } }) : null;
  const ids = await db().$transaction(async (tx) => {
    const digest = await tx.alertDigest.create({
      data: {
        tenantId,
        kind: "test",
        count: 1,
        test: true,
        items: [{ summary: "A test alert: if you can read this, alerts reach you.", link: null }],
        link: "/dashboard/alerts/log",
        createdAt: now,
      },
    });
    return createDeliveries(tx, tenantId, digest.id, email ? [email] : [], webhook?.host ?? null, now);
  });
  await dispatchDeliveries(ids.map((id) => ({ id, tenantId })));
  return { deliveries: ids.length };
}

/** Where a digest of this kind links when its events carry no link of their own. */
export function defaultDigestLink(kind: AlertKind): string {
  const all = { ...DEFAULT_FILTER, range: "24h" as const };
  switch (kind) {
    case "run_failed":
      return historyHref({ ...all, status: ["failed"] });
    case "total_mismatch":
      return historyHref({ ...all, warning: "total_mismatch" });
    case "run_stuck":
      return historyHref({ ...all, status: ["failed"], code: "internal" });
    case "reconciliation_differences":
      return "/dashboard/reconciliation";
    case "sage_reconnect":
    case "magento_unreachable":
      return "/dashboard/bindings";
  }
}

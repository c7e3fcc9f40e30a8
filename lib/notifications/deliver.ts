import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { childLog } from "@/lib/log";
import { postWebhook, sendEmail } from "./channels";
import { digestSubject, digestText, webhookPayload, type DigestForMessage } from "./message";
import { webhookTarget } from "./webhook";

/**
 * Sends one delivery and records the try. A failure is recorded on the row and thrown, so the
 * alert-deliver function retries it durably; after the last retry `markDeliveryFailed` closes the row.
 * A row that is no longer pending (sent, off, or closed) is left alone: a duplicate event sends nothing.
 */

const log = childLog({ component: "alerts.deliver" });

export type DeliverOutcome = "sent" | "skipped";

export async function deliverAlert(deliveryId: string, now = new Date()): Promise<DeliverOutcome> {
  const row = await db().alertDelivery.findUnique({
    where: { id: deliveryId },
    include: { digest: true, tenant: { select: { id: true, name: true } } },
  });
  if (!row || row.status !== "pending") return "skipped";
  await db().alertDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  const digest: DigestForMessage = {
    id: row.digest.id,
    kind: row.digest.kind,
    count: row.digest.count,
    items: row.digest.items as unknown as DigestForMessage["items"],
    link: row.digest.link,
    test: row.digest.test,
    createdAt: row.digest.createdAt,
  };
  const base = env().LEDGER_BASE_URL;
  try {
    if (row.channel === "email") {
      await sendEmail(row.recipient, digestSubject(digest, row.tenant.name), digestText(digest, row.tenant.name, base));
    } else {
      const target = await webhookTarget(row.tenantId);
      if (!target) {
        await close(row.id, "failed", "the workspace webhook was removed");
        return "skipped";
      }
      await postWebhook(target.url, target.secret, JSON.stringify(webhookPayload(digest, row.tenant, base)), now);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await db().alertDelivery.update({ where: { id: row.id }, data: { lastError: message.slice(0, 500) } });
    log.warn({ deliveryId, tenantId: row.tenantId, channel: row.channel, error: message }, "alert delivery failed; will retry");
    throw e;
  }
  await db().alertDelivery.update({ where: { id: row.id }, data: { status: "sent", sentAt: new Date(), lastError: null } });
  return "sent";
}

/** After the last retry: the log shows it failed and why. */
export async function markDeliveryFailed(deliveryId: string, error: string): Promise<void> {
  await close(deliveryId, "failed", error);
}

async function close(id: string, status: "failed", error: string): Promise<void> {
  await db().alertDelivery.updateMany({ where: { id, status: "pending" }, data: { status, lastError: error.slice(0, 500) } });
}

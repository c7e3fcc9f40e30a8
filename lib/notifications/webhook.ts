import { z } from "zod";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newWebhookSecret } from "./signature";

/**
 * The workspace's alert webhook: an http(s) URL and a signing secret, both kept as vault ciphertext
 * (a webhook URL often carries its own token). The secret is shown once, when it is made (set or
 * rotated), and never again; the URL only to owners.
 */

export const webhookUrl = z
  .string()
  .trim()
  .url("Enter the full URL, starting with https://")
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "Only http and https URLs can receive alerts.")
  .refine((u) => env().LEDGER_ALLOW_PRIVATE_URLS || new URL(u).protocol === "https:", "Use an https URL.");

export interface WebhookView {
  url: string;
  host: string;
  updatedAt: Date;
}

export async function webhookOf(tenantId: string): Promise<WebhookView | null> {
  const row = await db().alertWebhook.findUnique({ where: { tenantId } });
  return row ? { url: openUrl(tenantId, row.encryptedUrl), host: row.host, updatedAt: row.updatedAt } : null;
}

/** Set (or change) the URL. A new webhook gets a secret; changing the URL keeps the old one. Answers a secret only when made. */
export async function setWebhook(tenantId: string, url: string): Promise<{ secret: string | null }> {
  const sealedUrl = { host: new URL(url).host, encryptedUrl: appVault().encrypt(url, secretContext.alertWebhookUrl(tenantId)) };
  const existing = await db().alertWebhook.findUnique({ where: { tenantId } });
  if (existing) {
    await db().alertWebhook.update({ where: { tenantId }, data: sealedUrl });
    return { secret: null };
  }
  const secret = newWebhookSecret();
  await db().alertWebhook.create({ data: { tenantId, ...sealedUrl, encryptedSecret: seal(tenantId, secret) } });
  return { secret };
}

export async function rotateWebhookSecret(tenantId: string): Promise<{ secret: string }> {
  const secret = newWebhookSecret();
  const { count } = await db().alertWebhook.updateMany({ where: { tenantId }, data: { encryptedSecret: seal(tenantId, secret) } });
  if (!count) throw new AppError("not_found", "Set a webhook URL first.");
  return { secret };
}

export async function removeWebhook(tenantId: string): Promise<void> {
  await db().alertWebhook.deleteMany({ where: { tenantId } });
}

/** URL and plaintext secret, for delivery only. */
export async function webhookTarget(tenantId: string): Promise<{ url: string; secret: string } | null> {
  const row = await db().alertWebhook.findUnique({ where: { tenantId } });
  if (!row) return null;
  return {
    url: openUrl(tenantId, row.encryptedUrl),
    secret: appVault().decrypt(row.encryptedSecret, secretContext.alertWebhookSecret(tenantId)),
  };
}

function openUrl(tenantId: string, sealed: string): string {
  return appVault().decrypt(sealed, secretContext.alertWebhookUrl(tenantId));
}

function seal(tenantId: string, secret: string): string {
  return appVault().encrypt(secret, secretContext.alertWebhookSecret(tenantId));
}

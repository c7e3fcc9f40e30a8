import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from "./signature";

/**
 * The two ways out. Email through the SMTP server of LEDGER_SMTP_URL (nodemailer); the webhook through
 * the guarded fetch (lib/net), since its URL is the merchant's. Both throw on failure with a short
 * message fit for the alert log (never the secret or the SMTP password).
 */

export function emailEnabled(): boolean {
  return Boolean(env().LEDGER_SMTP_URL);
}

export const EMAIL_OFF = "email off (no LEDGER_SMTP_URL)";

let transport: { url: string; t: Transporter } | undefined;

function mailer(): Transporter {
  const url = env().LEDGER_SMTP_URL;
  if (!url) throw new Error(EMAIL_OFF);
  if (transport?.url !== url) {
    // Loopback sinks in tests and demos speak plain SMTP; real servers upgrade with STARTTLS when offered.
    transport = { url, t: nodemailer.createTransport(url) };
  }
  return transport.t;
}

export async function sendEmail(to: string, subject: string, text: string): Promise<void> {
  try {
    await mailer().sendMail({ from: env().LEDGER_ALERT_FROM, to, subject, text });
  } catch (e) {
    const err = e as { responseCode?: number; code?: string; message?: string };
    throw new Error(
      `SMTP ${err.responseCode ?? err.code ?? "error"}: ${(err.message ?? "send failed").replace(/\/\/[^@\s]*@/g, "//").slice(0, 300)}`,
    );
  }
}

export async function postWebhook(url: string, secret: string, body: string, now = new Date()): Promise<void> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const fetch = createGuardedFetch({ allowPrivate: env().LEDGER_ALLOW_PRIVATE_URLS, totalTimeoutMs: 10_000 });
  const out = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Ledger-Alerts/1",
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signPayload(secret, body, timestamp),
    },
    body,
  });
  if (out.kind !== "response") throw new Error(`webhook ${out.kind}: ${out.message}`);
  if (out.status < 200 || out.status >= 300) throw new Error(`webhook answered HTTP ${out.status}`);
}

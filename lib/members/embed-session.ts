import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Role } from "@/src/generated/prisma/enums";

/**
 * The session of the embedded view that Magento's admin shows in an iframe (wire-protocol §10).
 * Magento passes nothing but the connection id, so the viewer signs in inside the frame as a member
 * of the connection's tenant. The session lives in its own cookie, separate from the dashboard's,
 * that a third-party iframe may carry (SameSite=None; Secure; Partitioned — the browser keys it to the
 * Magento admin's site) and is bound to one connection. It is a signed value (HMAC-SHA256 with a key
 * derived from AUTH_SECRET); membership is re-read on every request, so removing a member ends it.
 */

export const EMBED_COOKIE = "ledger_embed";
export const EMBED_SESSION_SECONDS = 12 * 3600;

export const embedCookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: "none",
  partitioned: true,
  path: "/embed",
  maxAge: EMBED_SESSION_SECONDS,
} as const;

const payloadSchema = z.object({ u: z.uuid(), c: z.uuid(), exp: z.number().int() });

function signingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().AUTH_SECRET, "ledger", "embed-session/v1", 32));
}

const mac = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest("base64url");

export function issueEmbedSession(userId: string, connectionId: string, now: Date = new Date()): string {
  const payload = Buffer.from(JSON.stringify({ u: userId, c: connectionId, exp: Math.floor(now.getTime() / 1000) + EMBED_SESSION_SECONDS })).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/** The user id the cookie was issued to for THIS connection, or null (bad signature, expired, other connection). */
export function readEmbedSession(value: string | undefined, connectionId: string, now: Date = new Date()): string | null {
  if (!value) return null;
  const [payload, sig] = value.split(".");
  if (!payload || !sig) return null;
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.c !== connectionId || parsed.data.exp * 1000 <= now.getTime()) return null;
  return parsed.data.u;
}

export interface EmbedViewer {
  userId: string;
  name: string | null;
  email: string;
  role: Role;
}

/** The signed-in member for this connection's tenant, re-checked against current memberships. */
export async function embedViewer(cookieValue: string | undefined, connection: { id: string; tenantId: string }, now?: Date): Promise<EmbedViewer | null> {
  const userId = readEmbedSession(cookieValue, connection.id, now);
  if (!userId) return null;
  const m = await db().membership.findUnique({
    where: { tenantId_userId: { tenantId: connection.tenantId, userId } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  return m ? { userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role } : null;
}

const credentials = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()), password: z.string().min(1).max(1024) });

/**
 * Email + password of a member of the connection's tenant. One answer for every refusal, so the
 * frame reveals neither which emails have accounts nor who belongs to the workspace.
 */
export async function embedSignIn(input: { connection: { id: string; tenantId: string }; email: string; password: string }): Promise<string> {
  const refused = new AppError("unauthenticated", "That email and password don't match a member of this store's Ledger workspace.");
  const parsed = credentials.safeParse(input);
  if (!parsed.success) throw refused;
  const user = await db().user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, passwordHash: true, memberships: { where: { tenantId: input.connection.tenantId }, select: { id: true } } },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(parsed.data.password);
    throw refused;
  }
  if (!(await verifyPassword(parsed.data.password, user.passwordHash)) || user.memberships.length === 0) throw refused;
  return issueEmbedSession(user.id, input.connection.id);
}

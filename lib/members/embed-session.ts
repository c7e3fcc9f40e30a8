import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { endSession, sessionActive, startSession } from "@/lib/auth/sessions";
import { beginSignIn, logRefusal, signInSucceeded, tooManyAttemptsMessage } from "@/lib/auth/throttle";
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
 * derived from AUTH_SECRET) naming a server-side session (lib/auth/sessions.ts): signing out deletes
 * it, so a copied cookie stops working. Membership is re-read on every request, so removing a member
 * ends it too.
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

const payloadSchema = z.object({ u: z.uuid(), c: z.uuid(), s: z.string().min(1), exp: z.number().int() });

function signingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().AUTH_SECRET, "ledger", "embed-session/v1", 32));
}

const mac = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest("base64url");

export async function issueEmbedSession(userId: string, connectionId: string, now: Date = new Date()): Promise<string> {
  const sid = await startSession(userId, EMBED_SESSION_SECONDS, now);
  const payload = Buffer.from(
    JSON.stringify({ u: userId, c: connectionId, s: sid, exp: Math.floor(now.getTime() / 1000) + EMBED_SESSION_SECONDS }),
  ).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/**
 * Who the cookie was issued to for THIS connection, and its session id, or null (bad signature,
 * expired, other connection). Whether the session is still live is embedViewer's question.
 */
export function readEmbedSession(
  value: string | undefined,
  connectionId: string,
  now: Date = new Date(),
): { userId: string; sessionId: string } | null {
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
  return { userId: parsed.data.u, sessionId: parsed.data.s };
}

/** Embed sign-out: the cookie's session ends on the server, whoever holds a copy. */
export async function endEmbedSession(value: string | undefined, connectionId: string): Promise<void> {
  const read = readEmbedSession(value, connectionId);
  if (read) await endSession(read.sessionId);
}

export interface EmbedViewer {
  userId: string;
  name: string | null;
  email: string;
  role: Role;
}

/** The signed-in member for this connection's tenant, re-checked against current memberships. */
export async function embedViewer(
  cookieValue: string | undefined,
  connection: { id: string; tenantId: string },
  now?: Date,
): Promise<EmbedViewer | null> {
  const read = readEmbedSession(cookieValue, connection.id, now);
  if (!read || !(await sessionActive(read.sessionId, read.userId, now))) return null;
  const userId = read.userId;
  const m = await db().membership.findUnique({
    where: { tenantId_userId: { tenantId: connection.tenantId, userId } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
  return m ? { userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role } : null;
}

const credentials = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()), password: z.string().min(1).max(1024) });

/**
 * Email + password of a member of the connection's tenant. One answer for every refusal, so the
 * frame reveals neither which emails have accounts nor who belongs to the workspace. The same
 * attempt limits as the dashboard's sign-in (per account and per client `address`) apply.
 */
export async function embedSignIn(input: {
  connection: { id: string; tenantId: string };
  email: string;
  password: string;
  address?: string | null;
}): Promise<string> {
  const refused = new AppError("unauthenticated", "That email and password don't match a member of this store's Ledger workspace.");
  const parsed = credentials.safeParse(input);
  if (!parsed.success) throw refused;
  const address = input.address ?? null;
  const throttled = await beginSignIn(parsed.data.email, address);
  if (throttled) {
    logRefusal(parsed.data.email, address, "embed", throttled);
    throw new AppError("rate_limited", tooManyAttemptsMessage(throttled.retryAfterSeconds), {
      retryAfterSeconds: throttled.retryAfterSeconds,
    });
  }
  const user = await db().user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, passwordHash: true, memberships: { where: { tenantId: input.connection.tenantId }, select: { id: true } } },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(parsed.data.password);
    throw refused;
  }
  if (!(await verifyPassword(parsed.data.password, user.passwordHash))) throw refused;
  // Right password: the account's count is cleared even if it is not a member here (that is no guess).
  await signInSucceeded(parsed.data.email, address);
  if (user.memberships.length === 0) throw refused;
  return issueEmbedSession(user.id, input.connection.id);
}

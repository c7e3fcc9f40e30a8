import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";

/**
 * Server-side session records, so that signing out ends a session for good: a copied cookie (JWT
 * or embed cookie) stops working the moment its record is gone. Each cookie carries a random session
 * id; the database keeps only its SHA-256 (in Auth.js's `sessions` table, unused by JWT sessions
 * otherwise) with the user and an absolute expiry. Checking one is a single primary-key read and
 * writes nothing.
 */

const hash = (sid: string) => `sid:${createHash("sha256").update(sid).digest("hex")}`;

/** A new session for `userId`, valid for `maxAgeSeconds`; returns the id to put in the cookie. */
export async function startSession(userId: string, maxAgeSeconds: number, now = new Date()): Promise<string> {
  const sid = randomBytes(32).toString("base64url");
  await db().session.create({ data: { sessionToken: hash(sid), userId, expires: new Date(now.getTime() + maxAgeSeconds * 1000) } });
  // Housekeeping: the user's own expired records.
  await db().session.deleteMany({ where: { userId, expires: { lt: now } } });
  return sid;
}

/** True while the session exists, belongs to `userId` and has not expired. */
export async function sessionActive(sid: unknown, userId: unknown, now = new Date()): Promise<boolean> {
  if (typeof sid !== "string" || !sid || typeof userId !== "string") return false;
  const row = await db().session.findUnique({ where: { sessionToken: hash(sid) }, select: { userId: true, expires: true } });
  return row !== null && row.userId === userId && row.expires > now;
}

/** Ends one session (sign-out). Unknown ids are ignored. */
export async function endSession(sid: unknown): Promise<void> {
  if (typeof sid !== "string" || !sid) return;
  await db().session.deleteMany({ where: { sessionToken: hash(sid) } });
}

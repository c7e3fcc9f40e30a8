import { createHash } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { childLog } from "@/lib/log";

/**
 * Sign-in attempt limits, per account and per client address, with growing delays — kept in
 * PostgreSQL (sign_in_throttles) so they hold however many app instances run. Used by the dashboard
 * sign-in (Auth.js `authorize`, which both the form and Auth.js's own endpoint go through) and by the
 * embedded view's sign-in.
 *
 * Every attempt is counted BEFORE the password is checked, in one atomic upsert, so a burst of
 * parallel guesses cannot all slip in before the first failure is recorded. A key whose delay is
 * running refuses without checking the password at all. A success clears the account's count and
 * takes its own attempt back from the address's (an office behind one address is not punished for
 * its members signing in). Counts are forgotten after an hour without attempts.
 */

export interface ThrottlePolicy {
  /** Failed attempts allowed before the first delay. */
  free: number;
  /** The first delay; each further failure doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000 };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 20, baseMs: 60_000, maxMs: 60 * 60_000 };
const FORGET_AFTER = "1 hour";

const log = childLog({ component: "auth.throttle" });

export type SignInRefusal = { retryAfterSeconds: number };

/** Keys as stored: never the email itself (the table also holds addresses of people without accounts). */
export const accountKey = (email: string) => `account:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
export const addressKey = (address: string) => `address:${address}`;

/** The delay after `failures` failures (0 while still free). */
export function delayMs(failures: number, p: ThrottlePolicy): number {
  if (failures < p.free) return 0;
  return Math.min(p.baseMs * 2 ** (failures - p.free), p.maxMs);
}

function expandV6(ip: string): string[] {
  const [head, tail] = ip.includes("::") ? ip.split("::") : [ip, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  return [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
}

/**
 * The client's address as the outermost trusted proxy saw it (X-Forwarded-For, counted from the
 * right: every proxy appends), or null when it cannot be known. IPv6 clients are keyed by their /64,
 * which is what one subscriber gets.
 */
export function clientAddress(headers: Headers, hops = env().LEDGER_TRUSTED_PROXY_HOPS): string | null {
  if (hops < 1) return null;
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let ip = chain.at(-hops) ?? chain[0];
  if (!ip) return null;
  ip = ip.replace(/^\[|\](:\d+)?$/g, "").replace(/^::ffff:(?=\d+\.)/i, "");
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip))
    return `${expandV6(ip.replace(/%.*$/, "").toLowerCase())
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":")}::/64`;
  return null;
}

function keysFor(email: string, address: string | null): [string, ThrottlePolicy][] {
  const keys: [string, ThrottlePolicy][] = [[accountKey(email), ACCOUNT_POLICY]];
  if (address) keys.push([addressKey(address), ADDRESS_POLICY]);
  return keys;
}

/** How long until `email` from `address` may try again (0: now), without counting anything. */
export async function signInWait(email: string, address: string | null): Promise<number> {
  const rows = await db().signInThrottle.findMany({
    where: { key: { in: keysFor(email, address).map(([k]) => k) } },
    select: { blockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return Math.max(0, Math.ceil((until - Date.now()) / 1000));
}

/**
 * Count one sign-in attempt for the account and the address. Refused (with the wait) while either is
 * in a delay; otherwise the attempt is counted — as a failure until `signInSucceeded` says otherwise.
 */
export async function beginSignIn(email: string, address: string | null): Promise<SignInRefusal | null> {
  const wait = await signInWait(email, address);
  if (wait > 0) return { retryAfterSeconds: wait };
  for (const [key, p] of keysFor(email, address)) {
    const fresh = `sign_in_throttles.last_failure_at < now() - interval '${FORGET_AFTER}'`;
    const failures = `(CASE WHEN ${fresh} THEN 1 ELSE sign_in_throttles.failures + 1 END)`;
    const delay = `least(${p.maxMs}, ${p.baseMs} * power(2, greatest(0, ${failures} - ${p.free})))`;
    const rows = await db().$queryRawUnsafe<{ blocked_until: Date | null }[]>(
      `INSERT INTO sign_in_throttles (key, failures, first_failure_at, last_failure_at, blocked_until)
       VALUES ($1, 1, now(), now(), CASE WHEN 1 >= ${p.free} THEN now() + make_interval(secs => ${p.baseMs} / 1000.0) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = ${failures},
         first_failure_at = CASE WHEN ${fresh} THEN now() ELSE sign_in_throttles.first_failure_at END,
         last_failure_at = now(),
         blocked_until = CASE WHEN ${failures} >= ${p.free} THEN now() + make_interval(secs => ${delay} / 1000.0) END
       WHERE sign_in_throttles.blocked_until IS NULL OR sign_in_throttles.blocked_until <= now()
       RETURNING blocked_until`,
      key,
    );
    // Nothing returned: a parallel attempt started a delay between our read and this write.
    if (rows.length === 0) return { retryAfterSeconds: Math.max(1, await signInWait(email, address)) };
  }
  return null;
}

/** The attempt begun by beginSignIn succeeded: forget the account's failures, give the address its attempt back. */
export async function signInSucceeded(email: string, address: string | null): Promise<void> {
  await db().signInThrottle.deleteMany({ where: { key: accountKey(email) } });
  if (!address) return;
  await db().$executeRawUnsafe(
    `UPDATE sign_in_throttles SET failures = greatest(failures - 1, 0),
       blocked_until = CASE WHEN failures - 1 >= ${ADDRESS_POLICY.free} THEN blocked_until END
     WHERE key = $1`,
    addressKey(address),
  );
}

/** A refusal's wait in words: "45 seconds", "3 minutes", "1 hour". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

export const tooManyAttemptsMessage = (seconds: number) => `Too many sign-in attempts. Try again in ${waitText(seconds)}.`;

/** Logs a refusal with context (never the email: its key). */
export function logRefusal(email: string, address: string | null, where: "dashboard" | "embed", r: SignInRefusal): void {
  log.warn(
    { where, account: accountKey(email).slice(8, 20), address, retryAfterSeconds: r.retryAfterSeconds },
    "sign-in refused: too many attempts",
  );
}

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * Request signing exactly as the Inngest SDK (inngest@4.24.0, `helpers/net.ts`) checks it:
 * `x-inngest-signature: t=<unix s>&s=<hex HMAC-SHA256(body + t)>`, keyed with the signing key minus
 * its `signkey-<env>-` prefix used as a UTF-8 string. The body is the canonical JSON of the parsed
 * request (RFC 8785), or the raw string when the body is a string (empty PUT bodies, responses).
 */

const PREFIX = /^signkey-[\w]+-/;
const MAX_SKEW_MS = 5 * 60 * 1000;

export function stripKeyPrefix(signingKey: string): string {
  return signingKey.replace(PREFIX, "");
}

/** The bearer token the SDK sends to the server: `signkey-<env>-` + sha256(hex-decoded key). */
export function hashSigningKey(signingKey: string): string {
  const prefix = PREFIX.exec(signingKey)?.[0] ?? "";
  const key = stripKeyPrefix(signingKey);
  return `${prefix}${createHash("sha256").update(Buffer.from(key, "hex")).digest("hex")}`;
}

/** JSON text to put on the wire: canonical, so the bytes sent are the bytes signed. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? "null";
}

function mac(payload: string, signingKey: string, ts: string): string {
  return createHmac("sha256", stripKeyPrefix(signingKey))
    .update(payload + ts)
    .digest("hex");
}

/** Signs a payload string (already canonical JSON, or a raw string) at `nowMs`. */
export function sign(payload: string, signingKey: string, nowMs = Date.now()): string {
  const ts = Math.round(nowMs / 1000).toString();
  return `t=${ts}&s=${mac(payload, signingKey, ts)}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Verifies a signature header over `payload` with the key or its fallback. */
export function verify(header: string | null | undefined, payload: string, keys: readonly string[], nowMs = Date.now()): VerifyResult {
  if (!header) return { ok: false, reason: "missing x-inngest-signature" };
  const params = new URLSearchParams(header);
  const ts = params.get("t") ?? "";
  const sig = params.get("s") ?? "";
  const tsNum = Number.parseInt(ts, 10);
  if (!ts || !sig || !Number.isFinite(tsNum)) return { ok: false, reason: "malformed signature" };
  if (Math.abs(nowMs - tsNum * 1000) > MAX_SKEW_MS) return { ok: false, reason: "signature expired" };
  const given = Buffer.from(sig, "utf8");
  for (const key of keys) {
    const expected = Buffer.from(mac(payload, key, ts), "utf8");
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ok: true };
  }
  return { ok: false, reason: "signature mismatch" };
}

/** Checks an `Authorization: Bearer …` header against the hashed (or raw) signing keys. */
export function bearerMatches(header: string | null | undefined, keys: readonly string[]): boolean {
  const token = header?.startsWith("Bearer ") ? header.slice(7) : "";
  if (!token) return false;
  const given = Buffer.from(token, "utf8");
  return keys.some((key) =>
    [hashSigningKey(key), key].some((candidate) => {
      const expected = Buffer.from(candidate, "utf8");
      return expected.length === given.length && timingSafeEqual(expected, given);
    }),
  );
}

import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { deriveSubkey, jtiCacheKey } from "./keys.ts";
import { isPhpArray, member, parsePhpJson, phpJsonEncode, type Decoded } from "./php-json.ts";

/**
 * The module's HS256 JWT code: `Signer` (Magento → ledger, wire-protocol §3.2) and `Verifier`
 * (ledger → Magento, §3.3, including the unverified-payload routing rule of JwtUserContext).
 */

export const HEADER_SEGMENT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
export const OUTBOUND_TTL_SECONDS = 60;
export const MAX_INBOUND_TTL_SECONDS = 300;
export const CLOCK_SKEW_SECONDS = 30;

export function base64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64url");
}

/**
 * `base64_decode(strtr($s, '-_', '+/') . padding, true)`; PHP's strict mode rejects characters
 * outside the alphabet, and a failure is treated as an empty string by the module.
 */
export function phpBase64UrlDecode(segment: string): Buffer {
  const rem = segment.length % 4;
  const padded = (rem === 0 ? segment : segment + "=".repeat(4 - rem)).replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(padded) || padded.length % 4 !== 0) return Buffer.alloc(0);
  return Buffer.from(padded, "base64");
}

export interface MintInput {
  tenantId: string;
  /** Raw 32-byte outbound subkey (or any key for tests mirroring SignerTest's stand-in). */
  key: Buffer;
  nowSeconds: number;
  jti?: string;
}

/** Magento `Signer::mint()`: fresh token per request, `nbf = iat`, `exp = iat + 60`. */
export function mintOutbound({ tenantId, key, nowSeconds, jti }: MintInput): string {
  const payload = phpJsonEncode({
    iss: "magento",
    sub: tenantId,
    aud: "byte8-ledger",
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + OUTBOUND_TTL_SECONDS,
    jti: jti ?? randomUUID(),
  });
  const signingInput = `${HEADER_SEGMENT}.${base64url(payload)}`;
  const sig = createHmac("sha256", key).update(signingInput, "ascii").digest();
  return `${signingInput}.${base64url(sig)}`;
}

export function mintOutboundForApiKey(apiKey: string, tenantId: string, nowSeconds: number, jti?: string): string {
  return mintOutbound({ tenantId, key: deriveSubkey(apiKey, "outbound"), nowSeconds, jti });
}

/** Replay store; `claim` must atomically insert the key unless a live entry exists. */
export interface ReplayCache {
  /** @returns false when the key is already present (replay). */
  claim(cacheKey: string, ttlSeconds: number, nowSeconds: number): Promise<boolean>;
}

export interface VerifierContext {
  /** Client tenant id; null when not connected. */
  tenantId: string | null;
  apiKey: string | null;
  nowSeconds: number;
  replay: ReplayCache;
}

export type VerifyResult = { ok: true; claims: Map<string, Decoded> } | { ok: false; reason: string };

function decodeJsonSegment(segment: string, label: string): Map<string, Decoded> | string {
  const raw = phpBase64UrlDecode(segment);
  if (raw.length === 0) return `${label} segment is empty`;
  const decoded = parsePhpJson(raw.toString("utf8"));
  if (!isPhpArray(decoded)) return `${label} segment is not a JSON object`;
  // A JSON list is a PHP array too; its string-keyed lookups simply miss.
  return Array.isArray(decoded) ? new Map() : (decoded as { entries: Map<string, Decoded> }).entries;
}

const isString = (d: Decoded | undefined): d is string => typeof d === "string";
const intValue = (d: Decoded | undefined): number | null =>
  d !== null && typeof d === "object" && !Array.isArray(d) && d.kind === "int" ? d.value : null;

/** Magento `Verifier::verify()`, rule for rule, in the same order. */
export async function verifyInbound(jwt: string, ctx: VerifierContext): Promise<VerifyResult> {
  if (!ctx.tenantId || !ctx.apiKey) return { ok: false, reason: "not connected" };
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token: expected three dot-separated segments" };
  const [h, p, s] = parts;

  const header = decodeJsonSegment(h, "header");
  if (typeof header === "string") return { ok: false, reason: header };
  if (header.get("alg") !== "HS256") return { ok: false, reason: "unsupported alg (only HS256 is accepted)" };
  if (header.get("typ") !== "JWT") return { ok: false, reason: "unsupported typ (only JWT is accepted)" };

  const expected = createHmac("sha256", deriveSubkey(ctx.apiKey, "inbound")).update(`${h}.${p}`, "utf8").digest();
  const provided = phpBase64UrlDecode(s);
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return { ok: false, reason: "signature mismatch" };
  }

  const claims = decodeJsonSegment(p, "payload");
  if (typeof claims === "string") return { ok: false, reason: claims };
  if (claims.get("iss") !== "byte8-ledger") return { ok: false, reason: "iss mismatch" };
  if (claims.get("aud") !== "magento") return { ok: false, reason: "aud mismatch" };
  if (claims.get("sub") !== ctx.tenantId) return { ok: false, reason: "sub does not match stored tenant_id" };
  const times: Record<string, number> = {};
  for (const name of ["iat", "nbf", "exp"]) {
    const v = intValue(claims.get(name));
    if (v === null) return { ok: false, reason: `${name} missing or not an integer` };
    times[name] = v;
  }
  const jti = claims.get("jti");
  if (!isString(jti) || jti === "") return { ok: false, reason: "jti missing or empty" };

  const now = ctx.nowSeconds;
  if (times.iat > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: "iat is too far in the future (clock skew exceeded)" };
  if (times.nbf > now) return { ok: false, reason: "token not yet valid (nbf > now)" };
  if (times.exp <= now) return { ok: false, reason: "token expired" };
  if (times.exp - times.iat > MAX_INBOUND_TTL_SECONDS) {
    return { ok: false, reason: `token TTL exceeds policy ceiling of ${MAX_INBOUND_TTL_SECONDS}s` };
  }
  const fresh = await ctx.replay.claim(jtiCacheKey(jti), Math.max(1, times.exp - now), now);
  if (!fresh) return { ok: false, reason: "jti already seen — replay rejected" };
  return { ok: true, claims };
}

/** JwtUserContext::looksLikeByte8Jwt — routing on the *unverified* payload. */
export function looksLikeByte8Jwt(jwt: string): boolean {
  const parts = jwt.split(".");
  if (parts.length !== 3) return false;
  const raw = phpBase64UrlDecode(parts[1]);
  if (raw.length === 0) return false;
  const payload = parsePhpJson(raw.toString("utf8"));
  if (!isPhpArray(payload)) return false;
  return member(payload, "iss") === "byte8-ledger" && member(payload, "aud") === "magento";
}

/** Extracts the bearer token like JwtUserContext: case-insensitive `bearer ` prefix, trimmed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.slice(0, 7).toLowerCase() !== "bearer ") return null;
  return header.slice(7).trim();
}

import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { inboundSubkey, outboundSubkey } from "./keys";
import { phpJsonEncode, topLevelIntegerKeys, type PhpJsonValue } from "./php-json";

/**
 * The HS256 tokens of the Magento wire (wire-protocol §3), both directions.
 *
 * Magento → Ledger tokens are verified here with the rules of §3.2 (Magento's own verifier with the
 * directions flipped and skew on `nbf`); Ledger → Magento tokens are minted so that they pass
 * Magento's verifier (§3.3), which has zero `nbf` leeway and rejects a reused `jti`.
 *
 * Where the two vocabularies meet: what Magento calls its `tenant_id` (`byte8/client/tenant_id`, the
 * JWT `sub`, the `{tenant}` of webhook URLs, the `tenant_id` of the pairing body and the ping answer)
 * is Ledger's Magento connection id (`MagentoConnection.id`). In Ledger's code a tenant is always a
 * workspace; the Magento one is called `connectionId` everywhere, and `tenant_id` survives only in
 * the wire formats themselves (JSON bodies, URLs, error codes such as `unknown_tenant`).
 */

export const MAGENTO_ISSUER = "magento";
export const LEDGER_AUDIENCE = "byte8-ledger";
export const LEDGER_ISSUER = "byte8-ledger";
export const MAGENTO_AUDIENCE = "magento";

/** Magento's own clock tolerance; we grant Magento's clock the same. */
export const CLOCK_SKEW_SECONDS = 30;
/** Magento mints `exp = iat + 60` and its SECURITY.md caps outbound tokens there. */
export const MAGENTO_TOKEN_MAX_LIFETIME_SECONDS = 60;
/** Magento rejects inbound tokens with `exp - iat > 300`. */
export const LEDGER_TOKEN_MAX_TTL_SECONDS = 300;
export const LEDGER_TOKEN_DEFAULT_TTL_SECONDS = 120;

const HEADER_SEGMENT = base64UrlEncode(Buffer.from(phpJsonEncode({ alg: "HS256", typ: "JWT" }), "utf8"));
const MAX_SUBJECT_LENGTH = 128;

export function base64UrlEncode(buf: Buffer): string {
  return buf.toString("base64url");
}

/** Strict like Magento's decoder: only the url-safe alphabet, no padding, canonical trailing bits. */
export function base64UrlDecodeStrict(segment: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(segment) || segment.length % 4 === 1) return null;
  const buf = Buffer.from(segment, "base64url");
  return buf.toString("base64url") === segment ? buf : null;
}

/**
 * Compact JWS with the fixed header `{"alg":"HS256","typ":"JWT"}` over a PHP-encoded payload.
 * Claim order is the insertion order of `claims`, which matters for byte-exact tokens.
 */
export function signJwt(claims: { [key: string]: PhpJsonValue }, key: Buffer): string {
  const payload = base64UrlEncode(Buffer.from(phpJsonEncode(claims), "utf8"));
  const signingInput = `${HEADER_SEGMENT}.${payload}`;
  return `${signingInput}.${base64UrlEncode(createHmac("sha256", key).update(signingInput, "ascii").digest())}`;
}

// ---------------------------------------------------------------------------------------------
// Magento → Ledger

export const TOKEN_REJECTIONS = [
  "malformed",
  "bad_header",
  "bad_signature",
  "wrong_issuer",
  "wrong_audience",
  "wrong_subject",
  "expired",
  "not_yet_valid",
  "lifetime_too_long",
  "bad_claims",
  "unknown_connection",
] as const;
export type TokenRejection = (typeof TOKEN_REJECTIONS)[number];

export interface MagentoTokenClaims {
  iss: typeof MAGENTO_ISSUER;
  /** The connection id (Magento's `byte8/client/tenant_id`). */
  sub: string;
  aud: typeof LEDGER_AUDIENCE;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/** The outbound subkey of a connection's api key, derived once (HKDF) and kept by request-auth's cache. */
export interface DerivedKey {
  outboundSubkey: Buffer;
}

export type VerifyResult = { ok: true; claims: MagentoTokenClaims } | { ok: false; reason: TokenRejection };

export interface VerifyOptions {
  /**
   * The connection's master api_key — or, from a cache, the outbound subkey already derived from it —
   * or null when the connection is unknown (or has no key any more).
   */
  lookupApiKey: (connectionId: string) => Promise<string | DerivedKey | null> | string | DerivedKey | null;
  /** For webhooks: the connection id of the URL path, which must equal `sub`. */
  expectedConnectionId?: string;
  now: Date;
}

type JsonObject = { [key: string]: unknown };

function decodeJsonObject(segment: string): { value: JsonObject; text: string } | null {
  const bytes = base64UrlDecodeStrict(segment);
  if (!bytes) return null;
  const text = bytes.toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    return { value: value as JsonObject, text };
  } catch {
    return null;
  }
}

export function unixSeconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Verifies a Magento-minted bearer token (wire-protocol §3.2). Claims are judged only after the
 * signature checks out, so a rejection reason other than the structural ones is about a token the
 * connection's key really signed. Replay is the caller's step: see `jtiReplayEntry`.
 * Errors thrown by `lookupApiKey` (database down) propagate: that is a 503, not a 401.
 */
export async function verifyMagentoToken(raw: string, opts: VerifyOptions): Promise<VerifyResult> {
  const token = raw.trim();
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed" };
  const [headerSeg, payloadSeg, signatureSeg] = parts;
  const header = decodeJsonObject(headerSeg);
  const payload = decodeJsonObject(payloadSeg);
  const signature = base64UrlDecodeStrict(signatureSeg);
  if (!header || !payload || !signature) return { ok: false, reason: "malformed" };

  if (header.value.alg !== "HS256" || header.value.typ !== "JWT") return { ok: false, reason: "bad_header" };

  const claims = payload.value;
  const sub = claims.sub;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) {
    return { ok: false, reason: "bad_claims" };
  }
  if (opts.expectedConnectionId !== undefined && sub !== opts.expectedConnectionId) return { ok: false, reason: "wrong_subject" };

  const apiKey = await opts.lookupApiKey(sub);
  if (!apiKey) return { ok: false, reason: "unknown_connection" };

  const subkey = typeof apiKey === "string" ? outboundSubkey(apiKey) : apiKey.outboundSubkey;
  const expected = createHmac("sha256", subkey).update(`${headerSeg}.${payloadSeg}`, "ascii").digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    return { ok: false, reason: "bad_signature" };
  }

  if (claims.iss !== MAGENTO_ISSUER) return { ok: false, reason: "wrong_issuer" };
  if (claims.aud !== LEDGER_AUDIENCE) return { ok: false, reason: "wrong_audience" };

  const integers = topLevelIntegerKeys(payload.text);
  const { iat, nbf, exp, jti } = claims;
  if (
    !integers.has("iat") ||
    !integers.has("nbf") ||
    !integers.has("exp") ||
    !Number.isSafeInteger(iat) ||
    !Number.isSafeInteger(nbf) ||
    !Number.isSafeInteger(exp) ||
    typeof jti !== "string" ||
    jti.length === 0
  ) {
    return { ok: false, reason: "bad_claims" };
  }
  const t = { iat: iat as number, nbf: nbf as number, exp: exp as number };

  const now = unixSeconds(opts.now);
  if (t.exp <= now - CLOCK_SKEW_SECONDS) return { ok: false, reason: "expired" };
  // Magento sets nbf = iat, so a Magento clock running ahead would fail a strict nbf check.
  if (t.nbf > now + CLOCK_SKEW_SECONDS || t.iat > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: "not_yet_valid" };
  if (t.exp - t.iat > MAGENTO_TOKEN_MAX_LIFETIME_SECONDS) return { ok: false, reason: "lifetime_too_long" };

  return { ok: true, claims: { iss: MAGENTO_ISSUER, sub, aud: LEDGER_AUDIENCE, ...t, jti } };
}

/**
 * What the caller stores to reject a replayed token: a fixed-length key for the jti and the moment
 * after which the token is expired even with skew, so the entry may be dropped.
 */
export function jtiReplayEntry(claims: Pick<MagentoTokenClaims, "jti" | "exp">): { key: string; expiresAt: Date } {
  return {
    key: createHash("sha1").update(claims.jti, "utf8").digest("hex"),
    expiresAt: new Date((claims.exp + CLOCK_SKEW_SECONDS) * 1000),
  };
}

/** The token of an `Authorization: Bearer <jwt>` header (scheme case-insensitive, as Magento does). */
export function bearerToken(authorization: string | null | undefined): string | null {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m ? m[1] : null;
}

// ---------------------------------------------------------------------------------------------
// Ledger → Magento

export interface SignLedgerTokenInput {
  apiKey: string;
  /** Becomes `sub`: Magento checks it against its stored `tenant_id`. */
  connectionId: string;
  now: Date;
  /** Defaults to a fresh UUID v4; never reuse one (Magento rejects a second use). */
  jti?: string;
  /** Seconds from `iat` to `exp`, 1..300; defaults to 120. */
  ttl?: number;
}

/** One token per HTTP request (retries included). `nbf` is backdated because Magento has no nbf leeway. */
export function signLedgerToken(input: SignLedgerTokenInput): string {
  const ttl = input.ttl ?? LEDGER_TOKEN_DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > LEDGER_TOKEN_MAX_TTL_SECONDS) {
    throw new RangeError(`ttl must be an integer between 1 and ${LEDGER_TOKEN_MAX_TTL_SECONDS} seconds`);
  }
  if (input.connectionId.length === 0) throw new Error("connectionId must not be empty");
  if (input.jti === "") throw new Error("jti must not be empty");
  const iat = unixSeconds(input.now);
  return signJwt(
    {
      iss: LEDGER_ISSUER,
      sub: input.connectionId,
      aud: MAGENTO_AUDIENCE,
      iat,
      nbf: iat - CLOCK_SKEW_SECONDS,
      exp: iat + ttl,
      jti: input.jti ?? randomUUID(),
    },
    inboundSubkey(input.apiKey),
  );
}

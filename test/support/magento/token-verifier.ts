import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Test-only: an independent re-implementation of Magento's inbound token verifier (wire-protocol
 * §3.3, C:Model/Jwt/Verifier.php), written against the spec text and node:crypto alone — it imports
 * nothing from lib/magento so it can catch mistakes in our signer. Used by unit tests and by the
 * HTTP servers of the integration tests.
 */

export type MagentoVerdict = { ok: true; jti: string } | { ok: false; reason: string };

function b64uDecode(seg: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(seg)) return null;
  const padded = seg.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (seg.length % 4)) % 4);
  const buf = Buffer.from(padded, "base64");
  return buf.toString("base64") === padded ? buf : null;
}

function phpIsInt(payloadText: string, key: string): boolean {
  // Good enough for test tokens: the claim written as `"key":<digits>` followed by , or }.
  return new RegExp(`"${key}":-?\\d+[,}]`).test(payloadText);
}

export class MagentoVerifierModel {
  private readonly seen = new Map<string, number>();
  private readonly key: Buffer;

  constructor(
    apiKey: string,
    private readonly tenantId: string,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", Buffer.from(apiKey), Buffer.alloc(0), Buffer.from("byte8-magento-inbound-v1"), 32));
  }

  /** Magento's cache key for a jti: `byte8_jti:` + sha1(jti). */
  static replayKey(jti: string): string {
    return "byte8_jti:" + createHash("sha1").update(jti).digest("hex");
  }

  verify(token: string, nowSeconds: number): MagentoVerdict {
    const parts = token.trim().split(".");
    if (parts.length !== 3) return { ok: false, reason: "shape" };
    const [h, p, s] = parts;
    const hb = b64uDecode(h);
    const pb = b64uDecode(p);
    const sb = b64uDecode(s);
    if (!hb || !pb || !sb) return { ok: false, reason: "encoding" };
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(hb.toString("utf8"));
      claims = JSON.parse(pb.toString("utf8"));
    } catch {
      return { ok: false, reason: "json" };
    }
    if (header.alg !== "HS256" || header.typ !== "JWT") return { ok: false, reason: "header" };
    const mac = createHmac("sha256", this.key).update(`${h}.${p}`).digest();
    if (mac.length !== sb.length || !timingSafeEqual(mac, sb)) return { ok: false, reason: "signature" };
    if (claims.iss !== "byte8-ledger") return { ok: false, reason: "iss" };
    if (claims.aud !== "magento") return { ok: false, reason: "aud" };
    if (claims.sub !== this.tenantId) return { ok: false, reason: "sub" };
    const text = pb.toString("utf8");
    for (const k of ["iat", "nbf", "exp"]) if (!phpIsInt(text, k)) return { ok: false, reason: `${k}_type` };
    const iat = claims.iat as number;
    const nbf = claims.nbf as number;
    const exp = claims.exp as number;
    if (typeof claims.jti !== "string" || claims.jti === "") return { ok: false, reason: "jti" };
    if (iat > nowSeconds + 30) return { ok: false, reason: "iat_future" };
    if (nbf > nowSeconds) return { ok: false, reason: "nbf" };
    if (exp <= nowSeconds) return { ok: false, reason: "expired" };
    if (exp - iat > 300) return { ok: false, reason: "ttl" };
    const cacheKey = MagentoVerifierModel.replayKey(claims.jti);
    const until = this.seen.get(cacheKey);
    if (until !== undefined && until > nowSeconds) return { ok: false, reason: "replay" };
    this.seen.set(cacheKey, nowSeconds + Math.max(1, exp - nowSeconds));
    return { ok: true, jti: claims.jti };
  }
}

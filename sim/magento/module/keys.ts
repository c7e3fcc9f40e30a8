import { createHash, hkdfSync } from "node:crypto";

/** HKDF info strings of the module's KeyDerivation (wire-protocol §2.2). */
export const INFO_OUTBOUND = "byte8-magento-outbound-v1";
export const INFO_INBOUND = "byte8-magento-inbound-v1";

export type Purpose = "outbound" | "inbound";

/** PHP `hash_hkdf('sha256', $apiKey, 32, $info, '')`: IKM is the api_key's UTF-8 bytes, empty salt. */
export function deriveSubkey(apiKey: string, purpose: Purpose): Buffer {
  const info = purpose === "outbound" ? INFO_OUTBOUND : INFO_INBOUND;
  return Buffer.from(hkdfSync("sha256", Buffer.from(apiKey, "utf8"), Buffer.alloc(0), Buffer.from(info, "ascii"), 32));
}

export function sha1Hex(s: string): string {
  return createHash("sha1").update(s, "utf8").digest("hex");
}

export function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

/** Idempotency key the client derives when a caller passes none: `<event>:` + sha1(body). */
export function deriveIdempotencyKey(eventName: string, body: string): string {
  return `${eventName}:${sha1Hex(body)}`;
}

export function disconnectIdempotencyKey(tenantId: string): string {
  return `disconnect:${sha1Hex(tenantId)}`;
}

export function healthCacheKey(tenantId: string): string {
  return `byte8_tile_health_${sha1Hex(tenantId)}`;
}

export function jtiCacheKey(jti: string): string {
  return `byte8_jti:${sha1Hex(jti)}`;
}

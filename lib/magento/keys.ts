import { hkdfSync, randomBytes } from "node:crypto";

/**
 * Key material shared with the Magento module (wire-protocol §2).
 *
 * The master api_key is never used as an HMAC key itself: both sides derive one subkey per
 * direction with HKDF-SHA256 over the key's exact UTF-8 bytes (prefix included), empty salt, and a
 * direction label. Changing a label is a protocol version bump on both sides, so they live here only.
 */

export const OUTBOUND_INFO = "byte8-magento-outbound-v1";
export const INBOUND_INFO = "byte8-magento-inbound-v1";

/** Every key Ledger mints starts with this (the shape the module's own tests use). */
export const API_KEY_PREFIX = "byte8_lk_";

const API_KEY_PATTERN = /^byte8_lk_[A-Za-z0-9_-]{43}$/;

function hkdf(apiKey: string, info: string): Buffer {
  if (apiKey.length === 0) throw new Error("api key must not be empty");
  return Buffer.from(hkdfSync("sha256", Buffer.from(apiKey, "utf8"), Buffer.alloc(0), Buffer.from(info, "ascii"), 32));
}

/** Subkey Magento signs its requests to Ledger with; Ledger verifies webhooks/health/disconnect with it. */
export function outboundSubkey(apiKey: string): Buffer {
  return hkdf(apiKey, OUTBOUND_INFO);
}

/** Subkey Ledger signs its requests to Magento with (Magento's verifier derives the same). */
export function inboundSubkey(apiKey: string): Buffer {
  return hkdf(apiKey, INBOUND_INFO);
}

/** A fresh 256-bit master key: `byte8_lk_` + base64url (no padding) of 32 CSPRNG bytes. */
export function mintApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * True for keys Ledger minted. Magento treats the key as opaque, so this is only a sanity check on
 * our own storage, never a reason to reject a Magento request.
 */
export function isMintedApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

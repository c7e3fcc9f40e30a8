import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM vault for every secret column.
 *
 * Format: `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts). A fresh 96-bit IV per value; the
 * `context` string (e.g. `magento_connection:<id>:api_key`) is bound as additional authenticated data, so
 * a ciphertext copied into another row or column fails to decrypt. The key id (first 8 hex chars of
 * sha256(key)) lets a previous key keep decrypting during rotation.
 */

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultError";
  }
}

export interface Vault {
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
}

const keyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

export function createVault(currentKey: Buffer, previousKeys: Buffer[] = []): Vault {
  for (const k of [currentKey, ...previousKeys]) {
    if (k.length !== 32) throw new VaultError("vault keys must be exactly 32 bytes");
  }
  const keys = new Map([currentKey, ...previousKeys].map((k) => [keyId(k), k] as const));
  const currentId = keyId(currentKey);

  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", currentKey, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return ["v1", currentId, iv.toString("base64url"), body.toString("base64url")].join(".");
    },

    decrypt(sealed, context) {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== "v1") throw new VaultError("not a vault value");
      const key = keys.get(parts[1]);
      if (!key) throw new VaultError("value was sealed with an unknown key");
      const iv = Buffer.from(parts[2], "base64url");
      const body = Buffer.from(parts[3], "base64url");
      if (iv.length !== 12 || body.length < 16) throw new VaultError("vault value is truncated");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(body.subarray(body.length - 16));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
      } catch {
        throw new VaultError("vault value failed authentication (tampered, wrong key or wrong context)");
      }
    },
  };
}

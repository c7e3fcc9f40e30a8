import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createVault, VaultError } from "./vault";

const key = randomBytes(32);
const ctx = "magento_connection:1:api_key";

test("round trip, with a fresh IV each time", () => {
  const v = createVault(key);
  const a = v.encrypt("byte8_lk_secret", ctx);
  const b = v.encrypt("byte8_lk_secret", ctx);
  assert.notEqual(a, b);
  assert.ok(!a.includes("byte8_lk_secret"));
  assert.equal(v.decrypt(a, ctx), "byte8_lk_secret");
  assert.equal(v.decrypt(b, ctx), "byte8_lk_secret");
  assert.equal(v.decrypt(v.encrypt("", ctx), ctx), "");
  assert.equal(v.decrypt(v.encrypt("ünïcødé ✓", ctx), ctx), "ünïcødé ✓");
});

test("tampering with any byte is detected", () => {
  const v = createVault(key);
  const sealed = v.encrypt("refresh-token-value", ctx);
  const parts = sealed.split(".");
  const body = Buffer.from(parts[3], "base64url");
  for (const i of [0, body.length - 1]) {
    const flipped = Buffer.from(body);
    flipped[i] ^= 1;
    const forged = [...parts.slice(0, 3), flipped.toString("base64url")].join(".");
    assert.throws(() => v.decrypt(forged, ctx), VaultError);
  }
  const iv = Buffer.from(parts[2], "base64url");
  iv[0] ^= 1;
  assert.throws(() => v.decrypt([parts[0], parts[1], iv.toString("base64url"), parts[3]].join("."), ctx), VaultError);
  assert.throws(() => v.decrypt(sealed.slice(0, -4), ctx), VaultError);
  assert.throws(() => v.decrypt("plaintext", ctx), VaultError);
});

test("a wrong key cannot decrypt", () => {
  const sealed = createVault(key).encrypt("secret", ctx);
  assert.throws(() => createVault(randomBytes(32)).decrypt(sealed, ctx), /unknown key/);
});

test("a value moved to another row or column (other context) fails", () => {
  const v = createVault(key);
  const sealed = v.encrypt("secret", ctx);
  assert.throws(() => v.decrypt(sealed, "magento_connection:2:api_key"), VaultError);
});

test("a previous key still decrypts during rotation; new values use the current key", () => {
  const old = randomBytes(32);
  const sealedOld = createVault(old).encrypt("secret", ctx);
  const rotated = createVault(key, [old]);
  assert.equal(rotated.decrypt(sealedOld, ctx), "secret");
  assert.throws(() => createVault(old).decrypt(rotated.encrypt("x", ctx), ctx), VaultError);
});

test("keys must be 32 bytes", () => {
  assert.throws(() => createVault(randomBytes(16)), VaultError);
});

import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { API_KEY_PREFIX, inboundSubkey, isMintedApiKey, mintApiKey, outboundSubkey } from "./keys";

describe("HKDF subkeys (wire-protocol §2.2, §13.2 vectors)", () => {
  it("derives the byte8_lk_raw_secret subkeys", () => {
    assert.equal(outboundSubkey("byte8_lk_raw_secret").toString("hex"), "7d9da2d0582fd50518b2439628a4099d76728839d045b54dbb964e930c2fc872");
    assert.equal(inboundSubkey("byte8_lk_raw_secret").toString("hex"), "d17842b7e7dd30e2bd0c52048b18745582596de1aae88d501d6b0adde3fc4021");
  });

  it("derives the byte8_lk_x subkeys", () => {
    assert.equal(outboundSubkey("byte8_lk_x").toString("hex"), "9aab4d8ad7a7a5cd808bd673badfe85412ef5cb75559429db2ebb04a82b032c0");
    assert.equal(inboundSubkey("byte8_lk_x").toString("hex"), "5baad96e04932ad31d69423b5c353eb5b707a7bf3d477de47c942802a7c96471");
  });

  it("empty salt is the same as a 32 zero-byte salt (manual RFC 5869)", () => {
    const prk = createHmac("sha256", Buffer.alloc(32)).update("byte8_lk_raw_secret").digest();
    const okm = createHmac("sha256", prk)
      .update(Buffer.concat([Buffer.from("byte8-magento-outbound-v1"), Buffer.from([1])]))
      .digest();
    assert.deepEqual(outboundSubkey("byte8_lk_raw_secret"), okm);
  });

  it("uses the key's UTF-8 bytes, prefix included", () => {
    assert.notDeepEqual(outboundSubkey("byte8_lk_x"), outboundSubkey("x"));
    assert.throws(() => outboundSubkey(""));
  });
});

describe("api key minting", () => {
  it("mints byte8_lk_ + 43 base64url chars of 32 random bytes", () => {
    const a = mintApiKey();
    const b = mintApiKey();
    assert.ok(a.startsWith(API_KEY_PREFIX));
    assert.equal(a.length, API_KEY_PREFIX.length + 43);
    assert.equal(Buffer.from(a.slice(API_KEY_PREFIX.length), "base64url").length, 32);
    assert.match(a, /^byte8_lk_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.ok(isMintedApiKey(a));
    assert.equal(isMintedApiKey("byte8_lk_raw_secret"), false);
  });
});

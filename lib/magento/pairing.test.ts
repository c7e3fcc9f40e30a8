import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseBaseUrl } from "./base-url";
import { normalisePairingInput } from "./pairing";

describe("normalisePairingInput (§7.2 recommended)", () => {
  it("trims and lowercases the code, strips trailing slashes from the URL", () => {
    assert.deepEqual(
      normalisePairingInput({ pairingCode: "  DEADBEEFCAFEF00D0123456789ABCDEF\n", magentoBaseUrl: " https://Shop.Example.com/ " }),
      {
        ok: true,
        value: { pairingCode: "deadbeefcafef00d0123456789abcdef", magentoBaseUrl: "https://shop.example.com" },
      },
    );
  });

  it("keeps a sub-path such as /index.php", () => {
    const r = normalisePairingInput({
      pairingCode: "deadbeefcafef00d0123456789abcdef",
      magentoBaseUrl: "http://127.0.0.1:8080/index.php//",
    });
    assert.ok(r.ok);
    assert.equal(r.value.magentoBaseUrl, "http://127.0.0.1:8080/index.php");
  });

  it("rejects codes that are not 32 hex characters (docs' base32 form included)", () => {
    for (const code of ["J3K7-XQ9F-RP2M", "deadbeef", "deadbeefcafef00d0123456789abcdeg", "deadbeefcafef00d0123456789abcdef0"]) {
      const r = normalisePairingInput({ pairingCode: code, magentoBaseUrl: "https://shop.example.com" });
      assert.ok(!r.ok && r.fields.pairingCode?.code === "invalid_format", code);
      assert.equal(!r.ok && r.fields.magentoBaseUrl, undefined);
    }
  });

  it("rejects URLs that are not absolute http(s) and reports both fields at once", () => {
    for (const url of [
      "shop.example.com",
      "ftp://shop.example.com",
      "javascript:alert(1)",
      "https://user:pw@shop.example.com",
      "https://shop.example.com/?a=1",
      "",
    ]) {
      const r = normalisePairingInput({ pairingCode: "nope", magentoBaseUrl: url });
      assert.ok(!r.ok, url);
      assert.equal(r.fields.magentoBaseUrl?.code, "invalid_url", url);
      assert.equal(r.fields.pairingCode?.code, "invalid_format");
    }
  });

  it("can require https", () => {
    const r = normalisePairingInput(
      { pairingCode: "deadbeefcafef00d0123456789abcdef", magentoBaseUrl: "http://shop.example.com" },
      { requireHttps: true },
    );
    assert.ok(!r.ok && r.fields.magentoBaseUrl?.code === "https_required");
  });
});

describe("normaliseBaseUrl", () => {
  it("matches Magento's stored form (no trailing slash)", () => {
    assert.equal(normaliseBaseUrl("https://ledger.byte8.io/"), "https://ledger.byte8.io");
    assert.equal(normaliseBaseUrl("https://ledger.byte8.io"), "https://ledger.byte8.io");
    assert.equal(normaliseBaseUrl("HTTPS://LEDGER.byte8.io:443/"), "https://ledger.byte8.io");
    assert.equal(normaliseBaseUrl("https://shop.example.com/store/"), "https://shop.example.com/store");
    assert.equal(normaliseBaseUrl("/relative"), null);
  });
});

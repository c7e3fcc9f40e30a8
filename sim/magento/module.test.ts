import assert from "node:assert/strict";
import { createHmac, hkdfSync } from "node:crypto";
import { describe, it } from "node:test";
import { verifyInbound, mintOutbound, mintOutboundForApiKey, looksLikeByte8Jwt, type ReplayCache } from "./module/jwt.ts";
import { deriveIdempotencyKey, deriveSubkey, disconnectIdempotencyKey, healthCacheKey, jtiCacheKey, sha256Hex } from "./module/keys.ts";
import { encodeEventBody, backoffSeconds } from "./module/outbox.ts";
import { phpJsonEncode, phpRound, parsePhpJson } from "./module/php-json.ts";
import { canonicalLine } from "./module/canonical.ts";
import { tileData } from "./module/health-tile.ts";

/** wire-protocol §13 test vectors and §3.3 verifier variants, against the simulator's PHP-module code. */

const KEY = "byte8_lk_raw_secret";
const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const NOW = 1777550400;
const INBOUND_VECTOR =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJieXRlOC1sZWRnZXIiLCJzdWIiOiJhOGQ0ZTJlMC0xYzRlLTExZWYtOTI2Mi0wMjQyYWMxMjAwMDIiLCJhdWQiOiJtYWdlbnRvIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDcwMCwianRpIjoiOWIxZGViNGQtM2I3ZC00YmFkLTliZGQtMmIwZDdiM2RjYjZkIn0.npEqMOel54YyK1yxZ0EdVpzVaVK-i1aMMeihYQ98RiE";

function memoryReplay(): ReplayCache & { keys: Map<string, number> } {
  const keys = new Map<string, number>();
  return {
    keys,
    async claim(key, ttl, now) {
      const exp = keys.get(key);
      if (exp !== undefined && exp > now) return false;
      keys.set(key, now + ttl);
      return true;
    },
  };
}

/** An independent minter (raw JSON text so variants can carry floats, strings, arrays). */
function forge(payloadJson: string, headerJson = '{"alg":"HS256","typ":"JWT"}', apiKey = KEY): string {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(apiKey), Buffer.alloc(0), Buffer.from("byte8-magento-inbound-v1"), 32));
  const h = Buffer.from(headerJson).toString("base64url");
  const p = Buffer.from(payloadJson).toString("base64url");
  return `${h}.${p}.${createHmac("sha256", key).update(`${h}.${p}`).digest("base64url")}`;
}

const claims = (over: Record<string, string> = {}): string => {
  const base: Record<string, string> = {
    iss: '"byte8-ledger"',
    sub: `"${TENANT}"`,
    aud: '"magento"',
    iat: String(NOW),
    nbf: String(NOW),
    exp: String(NOW + 300),
    jti: '"j-1"',
    ...over,
  };
  return `{${Object.entries(base)
    .map(([k, v]) => `"${k}":${v}`)
    .join(",")}}`;
};

const verify = (jwt: string, replay = memoryReplay(), now = NOW) =>
  verifyInbound(jwt, { tenantId: TENANT, apiKey: KEY, nowSeconds: now, replay });

describe("§13.2 derived vectors", () => {
  it("HKDF subkeys", () => {
    assert.equal(deriveSubkey(KEY, "outbound").toString("hex"), "7d9da2d0582fd50518b2439628a4099d76728839d045b54dbb964e930c2fc872");
    assert.equal(deriveSubkey(KEY, "inbound").toString("hex"), "d17842b7e7dd30e2bd0c52048b18745582596de1aae88d501d6b0adde3fc4021");
    assert.equal(
      deriveSubkey("byte8_lk_x", "outbound").toString("hex"),
      "9aab4d8ad7a7a5cd808bd673badfe85412ef5cb75559429db2ebb04a82b032c0",
    );
    assert.equal(deriveSubkey("byte8_lk_x", "inbound").toString("hex"), "5baad96e04932ad31d69423b5c353eb5b707a7bf3d477de47c942802a7c96471");
  });

  it("empty salt equals a 32-zero-byte salt", () => {
    const zero = Buffer.from(hkdfSync("sha256", Buffer.from(KEY), Buffer.alloc(32), Buffer.from("byte8-magento-outbound-v1"), 32));
    assert.deepEqual(deriveSubkey(KEY, "outbound"), zero);
  });

  it("outbound token (Magento → ledger) is byte-exact", () => {
    assert.equal(
      mintOutboundForApiKey(KEY, TENANT, NOW, "3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b"),
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtYWdlbnRvIiwic3ViIjoiYThkNGUyZTAtMWM0ZS0xMWVmLTkyNjItMDI0MmFjMTIwMDAyIiwiYXVkIjoiYnl0ZTgtbGVkZ2VyIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDQ2MCwianRpIjoiM2YyYzFhOWUtNmI3ZC00ZTJmLTlhMWItMGM0ZDVlNmY3YThiIn0.-fVsRBJ29uCJQql4QW2DkmU6YfAz9YU0s28a8kGjCTk",
    );
  });

  it("SignerTest-shaped token with the stand-in key", () => {
    const token = mintOutbound({
      tenantId: "tenant-42",
      key: Buffer.from("fake-derived-32byte-subkey-aaaaa"),
      nowSeconds: NOW,
      jti: "abc-jti",
    });
    assert.equal(
      token,
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtYWdlbnRvIiwic3ViIjoidGVuYW50LTQyIiwiYXVkIjoiYnl0ZTgtbGVkZ2VyIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDQ2MCwianRpIjoiYWJjLWp0aSJ9.C0R_yke92vQiRSaBb0-s5lCVgdOKya_J2gKbaEXSpnw",
    );
    const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) as Record<string, number>;
    assert.equal(payload.exp - payload.iat, 60);
    assert.equal(payload.nbf, payload.iat);
  });

  it("hashes and derived keys", () => {
    assert.equal(sha256Hex("deadbeefcafef00d0123456789abcdef"), "420cad0343a05510fff1d785801161008a91d671944f89a6abeb3be72b1da9e7");
    assert.equal(deriveIdempotencyKey("invoice.paid", '{"magento_entity_id":99}'), "invoice.paid:bef52c8643538891e17925153173c9b3da742fac");
    assert.equal(disconnectIdempotencyKey(TENANT), "disconnect:1253ef880a7bbed0b487070a78a80bcce271b26c");
    assert.equal(healthCacheKey(TENANT), "byte8_tile_health_1253ef880a7bbed0b487070a78a80bcce271b26c");
    assert.equal(jtiCacheKey("3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b"), "byte8_jti:f65029003ea5eabbf7f3737bdd37668f26a0abee");
  });

  it("PHP float encoding", () => {
    assert.equal(phpJsonEncode([1.5, 2.0, -10.0, 0.1]), "[1.5,2,-10,0.1]");
    assert.equal(phpJsonEncode(0.1 + 0.2), "0.30000000000000004");
    assert.equal(phpJsonEncode(0.00001), "1.0e-5");
    assert.equal(phpRound(1.005, 2), 1.01);
    assert.equal(phpRound(-2.5), -3);
  });

  it("event bodies are byte-exact (§5.3)", () => {
    const at = Date.parse("2026-04-30T12:00:00Z");
    assert.equal(
      encodeEventBody({ magento_entity_id: 42, website_id: 1, store_id: 1, payload: { increment_id: "000000042", paid: true } }, at),
      '{"magento_entity_id":42,"website_id":1,"store_id":1,"occurred_at":"2026-04-30T12:00:00Z","payload":{"increment_id":"000000042","paid":true}}',
    );
    assert.equal(
      encodeEventBody({ magento_entity_id: 7, website_id: 1, store_id: 0, payload: {} }, at),
      '{"magento_entity_id":7,"website_id":1,"store_id":0,"occurred_at":"2026-04-30T12:00:00Z","payload":{}}',
    );
    assert.equal(phpJsonEncode({ s: "a/b é 😀" }), '{"s":"a/b \\u00e9 \\ud83d\\ude00"}');
    assert.equal(phpJsonEncode({ s: "a/b" }, { unescapedSlashes: false }), '{"s":"a\\/b"}');
  });
});

describe("§3.3 verifier", () => {
  it("accepts the inbound vector once, then rejects the replay", async () => {
    const replay = memoryReplay();
    assert.deepEqual((await verify(INBOUND_VECTOR, replay)).ok, true);
    assert.deepEqual(await verify(INBOUND_VECTOR, replay), { ok: false, reason: "jti already seen — replay rejected" });
    assert.equal(replay.keys.get(jtiCacheKey("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")), NOW + 300);
  });

  const cases: [string, string, string | true][] = [
    ["exp−iat = 301", forge(claims({ exp: String(NOW + 301) })), "token TTL exceeds policy ceiling of 300s"],
    ["float iat", forge(claims({ iat: "1777550400.0" })), "iat missing or not an integer"],
    ["exponent iat", forge(claims({ iat: "1.7775504e9" })), "iat missing or not an integer"],
    ["string iat", forge(claims({ iat: '"1777550400"' })), "iat missing or not an integer"],
    ["aud array", forge(claims({ aud: '["magento"]' })), "aud mismatch"],
    ["nbf = now+1", forge(claims({ nbf: String(NOW + 1) })), "token not yet valid (nbf > now)"],
    ["iat = now+30", forge(claims({ iat: String(NOW + 30), nbf: String(NOW), exp: String(NOW + 300) })), true],
    ["iat = now+31", forge(claims({ iat: String(NOW + 31), nbf: String(NOW) })), "iat is too far in the future (clock skew exceeded)"],
    ["nbf = now−60", forge(claims({ nbf: String(NOW - 60) })), true],
    ["extra claims", forge(claims({ scope: '"x"', provider: '"sage"' })), true],
    ["header with kid", forge(claims(), '{"alg":"HS256","typ":"JWT","kid":"k1"}'), true],
    ['typ "jwt"', forge(claims(), '{"alg":"HS256","typ":"jwt"}'), "unsupported typ (only JWT is accepted)"],
    ["alg none", forge(claims(), '{"alg":"none","typ":"JWT"}'), "unsupported alg (only HS256 is accepted)"],
    ["exp = now", forge(claims({ exp: String(NOW) })), "token expired"],
    ["wrong iss", forge(claims({ iss: '"magento"' })), "iss mismatch"],
    ["wrong sub", forge(claims({ sub: '"other"' })), "sub does not match stored tenant_id"],
    ["empty jti", forge(claims({ jti: '""' })), "jti missing or empty"],
    ["missing nbf", forge(claims().replace(`"nbf":${NOW},`, "")), "nbf missing or not an integer"],
    ["wrong key", forge(claims(), undefined, "byte8_lk_other"), "signature mismatch"],
    ["two segments", "a.b", "malformed token: expected three dot-separated segments"],
    ["bad base64 header", `!!!.${forge(claims()).split(".").slice(1).join(".")}`, "header segment is empty"],
  ];
  for (const [name, token, expected] of cases) {
    it(`${name} → ${expected === true ? "accepted" : "rejected"}`, async () => {
      const result = await verify(token);
      if (expected === true) assert.equal(result.ok, true, JSON.stringify(result));
      else assert.deepEqual(result, { ok: false, reason: expected });
    });
  }

  it("not connected rejects", async () => {
    const r = await verifyInbound(INBOUND_VECTOR, { tenantId: null, apiKey: null, nowSeconds: NOW, replay: memoryReplay() });
    assert.equal(r.ok, false);
  });

  it("routes on the unverified payload only when iss and aud both match", () => {
    assert.equal(looksLikeByte8Jwt(INBOUND_VECTOR), true);
    assert.equal(looksLikeByte8Jwt(forge(claims({ aud: '["magento"]' }))), false);
    assert.equal(looksLikeByte8Jwt("not.a-jwt"), false);
  });

  it("int/float distinction of the PHP decoder", () => {
    assert.deepEqual(parsePhpJson("[1,1.0,1e3]"), [
      { kind: "int", value: 1 },
      { kind: "float", value: 1 },
      { kind: "float", value: 1000 },
    ]);
    assert.equal(parsePhpJson("{"), undefined);
  });
});

describe("canonical serialisation", () => {
  it("line_total, tax_rate rounding and omitted nullable getters", () => {
    const line = canonicalLine({
      product_id: 1,
      sku: "A/1",
      name: "Ä",
      product_type: "simple",
      qty: 2,
      price: 10,
      row_total: 20,
      tax_amount: 3.6,
      tax_percent: 20,
      discount_amount: 2,
      parent_index: null,
    });
    assert.equal(
      phpJsonEncode(line, { unescapedSlashes: false }),
      '{"sku":"A\\/1","name":"\\u00c4","qty":2,"unit_price":10,"line_subtotal":20,"line_tax":3.6,"line_total":21.6,"tax_rate":0.18,"product_type":"simple"}',
    );
    const zero = canonicalLine({
      product_id: 1,
      sku: "Z",
      name: "Z",
      product_type: "",
      qty: 1,
      price: 5,
      row_total: 5,
      tax_amount: 0,
      tax_percent: 0,
      discount_amount: 0,
      parent_index: null,
    });
    assert.equal(phpJsonEncode(zero), '{"sku":"Z","name":"Z","qty":1,"unit_price":5,"line_subtotal":5,"line_tax":0,"line_total":5}');
  });

  it("backoff ladder", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(backoffSeconds), [60, 300, 1800, 7200, 21600, 43200, 86400, 86400, 86400]);
  });
});

describe("health tile colours (§4.4)", () => {
  const t = (connected: boolean, body: Record<string, unknown>) => tileData(connected, body, NOW);
  const ok = {
    tenant: { magento_connection_status: "active" },
    binding: { status: "active", region: "uk" },
    sync: { pending_count: 0, failed_24h: 0, last_run_at: null },
  };
  it("maps every rule", () => {
    assert.equal(t(false, ok).colour, "grey");
    assert.equal(t(true, {}).headline, "Ledger unreachable");
    assert.equal(t(true, { ...ok, tenant: { magento_connection_status: "token_revoked" } }).colour, "red");
    assert.equal(t(true, { ...ok, tenant: { magento_connection_status: "pending" } }).colour, "amber");
    assert.equal(t(true, { ...ok, binding: { status: "revoked" } }).headline, "Binding revoked");
    assert.equal(t(true, { ...ok, sync: { pending_count: 0, failed_24h: 2 } }).colour, "red");
    assert.equal(t(true, { ...ok, sync: { pending_count: 3, failed_24h: 0 } }).colour, "amber");
    const green = t(true, ok);
    assert.equal(green.colour, "green");
    assert.equal(green.headline, "Connected to Sage (UK)");
    assert.equal(green.last_run_relative, "No syncs yet");
  });
});

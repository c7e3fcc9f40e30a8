import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { bearerToken, jtiReplayEntry, signJwt, signLedgerToken, verifyMagentoToken, type VerifyOptions } from "./jwt";
import { inboundSubkey, outboundSubkey } from "./keys";
import { MagentoVerifierModel } from "../../test/support/magento/token-verifier";

const KEY = "byte8_lk_raw_secret";
const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const IAT = 1777550400; // 2026-04-30T12:00:00Z
const at = (s: number) => new Date(s * 1000);

const OUTBOUND_VECTOR =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtYWdlbnRvIiwic3ViIjoiYThkNGUyZTAtMWM0ZS0xMWVmLTkyNjItMDI0MmFjMTIwMDAyIiwiYXVkIjoiYnl0ZTgtbGVkZ2VyIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDQ2MCwianRpIjoiM2YyYzFhOWUtNmI3ZC00ZTJmLTlhMWItMGM0ZDVlNmY3YThiIn0.-fVsRBJ29uCJQql4QW2DkmU6YfAz9YU0s28a8kGjCTk";
const SIGNER_TEST_VECTOR =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJtYWdlbnRvIiwic3ViIjoidGVuYW50LTQyIiwiYXVkIjoiYnl0ZTgtbGVkZ2VyIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDQ2MCwianRpIjoiYWJjLWp0aSJ9.C0R_yke92vQiRSaBb0-s5lCVgdOKya_J2gKbaEXSpnw";
const INBOUND_VECTOR =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJieXRlOC1sZWRnZXIiLCJzdWIiOiJhOGQ0ZTJlMC0xYzRlLTExZWYtOTI2Mi0wMjQyYWMxMjAwMDIiLCJhdWQiOiJtYWdlbnRvIiwiaWF0IjoxNzc3NTUwNDAwLCJuYmYiOjE3Nzc1NTA0MDAsImV4cCI6MTc3NzU1MDcwMCwianRpIjoiOWIxZGViNGQtM2I3ZC00YmFkLTliZGQtMmIwZDdiM2RjYjZkIn0.npEqMOel54YyK1yxZ0EdVpzVaVK-i1aMMeihYQ98RiE";

/** A token from literal header/payload text, for claims our own encoder would never produce. */
function rawToken(headerText: string, payloadText: string, key: Buffer): string {
  const h = Buffer.from(headerText).toString("base64url");
  const p = Buffer.from(payloadText).toString("base64url");
  return `${h}.${p}.${createHmac("sha256", key).update(`${h}.${p}`).digest("base64url")}`;
}
const HEADER = '{"alg":"HS256","typ":"JWT"}';
const OUT = outboundSubkey(KEY);
const IN = inboundSubkey(KEY);

function magentoClaims(over: Record<string, string | number | string[]> = {}) {
  return {
    iss: "magento",
    sub: TENANT,
    aud: "byte8-ledger",
    iat: IAT,
    nbf: IAT,
    exp: IAT + 60,
    jti: "3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b",
    ...over,
  };
}
const mint = (over: Record<string, string | number | string[]> = {}) => signJwt(magentoClaims(over), OUT);

function opts(over: Partial<VerifyOptions> = {}): VerifyOptions {
  return { lookupApiKey: (t) => (t === TENANT ? KEY : null), now: at(IAT), ...over };
}

describe("§13.2 token vectors, byte-exact", () => {
  it("outbound token (Magento → Ledger) for byte8_lk_raw_secret", () => {
    const token = mint();
    assert.equal(token, OUTBOUND_VECTOR);
    assert.equal(
      Buffer.from(token.split(".")[1], "base64url").toString(),
      '{"iss":"magento","sub":"a8d4e2e0-1c4e-11ef-9262-0242ac120002","aud":"byte8-ledger","iat":1777550400,"nbf":1777550400,"exp":1777550460,"jti":"3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b"}',
    );
  });

  it("SignerTest-shaped token with the stand-in subkey", () => {
    const standIn = Buffer.from("fake-derived-32byte-subkey-aaaaa", "ascii");
    assert.equal(standIn.length, 32);
    const token = signJwt(magentoClaims({ sub: "tenant-42", jti: "abc-jti" }), standIn);
    assert.equal(token, SIGNER_TEST_VECTOR);
    assert.equal(token.split(".")[0], "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  });

  it("inbound token (Ledger → Magento) with the stated claims", () => {
    const token = signJwt(
      { iss: "byte8-ledger", sub: TENANT, aud: "magento", iat: IAT, nbf: IAT, exp: IAT + 300, jti: "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d" },
      IN,
    );
    assert.equal(token, INBOUND_VECTOR);
  });

  it("Magento replay-cache key for a jti", () => {
    assert.equal(
      MagentoVerifierModel.replayKey("3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b"),
      "byte8_jti:f65029003ea5eabbf7f3737bdd37668f26a0abee",
    );
  });
});

describe("verifyMagentoToken (§3.2)", () => {
  it("accepts the vector and returns typed claims", async () => {
    const r = await verifyMagentoToken(OUTBOUND_VECTOR, opts({ expectedConnectionId: TENANT }));
    assert.deepEqual(r, { ok: true, claims: magentoClaims() });
  });

  it("trims surrounding whitespace", async () => {
    assert.equal((await verifyMagentoToken(`  ${OUTBOUND_VECTOR}\n`, opts())).ok, true);
  });

  const cases: [string, () => string, Partial<VerifyOptions>, string][] = [
    ["two segments", () => OUTBOUND_VECTOR.split(".").slice(0, 2).join("."), {}, "malformed"],
    ["empty string", () => "", {}, "malformed"],
    ["padded base64", () => OUTBOUND_VECTOR.replace(".", "=."), {}, "malformed"],
    ["standard base64 alphabet in signature", () => OUTBOUND_VECTOR.replace(/-/g, "+"), {}, "malformed"],
    ["header is a JSON array", () => rawToken("[1]", JSON.stringify(magentoClaims()), OUT), {}, "malformed"],
    ["payload is not JSON", () => rawToken(HEADER, "{nope", OUT), {}, "malformed"],
    ["alg none", () => rawToken('{"alg":"none","typ":"JWT"}', JSON.stringify(magentoClaims()), OUT), {}, "bad_header"],
    ["alg HS512", () => rawToken('{"alg":"HS512","typ":"JWT"}', JSON.stringify(magentoClaims()), OUT), {}, "bad_header"],
    ["typ jwt (case-sensitive)", () => rawToken('{"alg":"HS256","typ":"jwt"}', JSON.stringify(magentoClaims()), OUT), {}, "bad_header"],
    ["sub missing", () => rawToken(HEADER, '{"iss":"magento","aud":"byte8-ledger"}', OUT), {}, "bad_claims"],
    ["sub differs from the connection in the path", () => mint(), { expectedConnectionId: "other-tenant" }, "wrong_subject"],
    ["unknown connection", () => mint({ sub: "nobody" }), {}, "unknown_connection"],
    ["signed with another connection's key", () => signJwt(magentoClaims(), outboundSubkey("byte8_lk_x")), {}, "bad_signature"],
    ["signed with the inbound (wrong-direction) subkey", () => signJwt(magentoClaims(), IN), {}, "bad_signature"],
    [
      "payload tampered after signing",
      () => {
        const [h, , s] = OUTBOUND_VECTOR.split(".");
        return `${h}.${Buffer.from(JSON.stringify(magentoClaims({ exp: IAT + 50 }))).toString("base64url")}.${s}`;
      },
      {},
      "bad_signature",
    ],
    ["truncated signature (30 bytes)", () => OUTBOUND_VECTOR.slice(0, -3), {}, "bad_signature"],
    ["iss byte8-ledger", () => mint({ iss: "byte8-ledger" }), {}, "wrong_issuer"],
    ["aud as an array", () => mint({ aud: ["byte8-ledger"] }), {}, "wrong_audience"],
    ["aud magento", () => mint({ aud: "magento" }), {}, "wrong_audience"],
    ["float iat", () => rawToken(HEADER, JSON.stringify(magentoClaims({ iat: IAT + 0.5 })), OUT), {}, "bad_claims"],
    [
      "integer-valued exponent iat (a float in PHP)",
      () => rawToken(HEADER, JSON.stringify(magentoClaims()).replace(`"iat":${IAT}`, '"iat":1.7775504e9'), OUT),
      {},
      "bad_claims",
    ],
    ["string exp", () => rawToken(HEADER, JSON.stringify(magentoClaims({ exp: String(IAT + 60) })), OUT), {}, "bad_claims"],
    ["empty jti", () => mint({ jti: "" }), {}, "bad_claims"],
    ["expired beyond skew", () => mint(), { now: at(IAT + 90) }, "expired"],
    ["nbf 31 s ahead of our clock", () => mint({ nbf: IAT + 31, exp: IAT + 61 }), {}, "not_yet_valid"],
    ["iat 31 s ahead of our clock", () => mint({ iat: IAT + 31, nbf: IAT, exp: IAT + 61 }), {}, "not_yet_valid"],
    ["lifetime 61 s", () => mint({ exp: IAT + 61 }), {}, "lifetime_too_long"],
  ];
  for (const [name, token, o, reason] of cases) {
    it(`rejects: ${name} → ${reason}`, async () => {
      assert.deepEqual(await verifyMagentoToken(token(), opts(o)), { ok: false, reason });
    });
  }

  it("tolerates a Magento clock 30 s ahead (skew applied to nbf) and expiry within skew", async () => {
    assert.equal((await verifyMagentoToken(mint({ iat: IAT + 30, nbf: IAT + 30, exp: IAT + 90 }), opts())).ok, true);
    assert.equal((await verifyMagentoToken(OUTBOUND_VECTOR, opts({ now: at(IAT + 89) }))).ok, true);
  });

  it("accepts extra claims and extra header fields such as kid", async () => {
    const token = rawToken('{"alg":"HS256","typ":"JWT","kid":"k1"}', JSON.stringify({ ...magentoClaims(), provider: "sage" }), OUT);
    assert.equal((await verifyMagentoToken(token, opts())).ok, true);
  });

  it("does not look the connection up when the path already disagrees", async () => {
    let lookups = 0;
    const r = await verifyMagentoToken(OUTBOUND_VECTOR, opts({ expectedConnectionId: "x", lookupApiKey: () => (lookups++, KEY) }));
    assert.equal(r.ok, false);
    assert.equal(lookups, 0);
  });

  it("propagates lookup failures (a database outage is a 503, not a 401)", async () => {
    await assert.rejects(
      verifyMagentoToken(
        OUTBOUND_VECTOR,
        opts({
          lookupApiKey: async () => {
            throw new Error("db down");
          },
        }),
      ),
      /db down/,
    );
  });

  it("jtiReplayEntry keeps the jti until exp + skew", () => {
    const e = jtiReplayEntry({ jti: "3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b", exp: IAT + 60 });
    assert.equal(e.key, createHash("sha1").update("3f2c1a9e-6b7d-4e2f-9a1b-0c4d5e6f7a8b").digest("hex"));
    assert.equal(e.expiresAt.toISOString(), "2026-04-30T12:01:30.000Z");
  });

  it("bearerToken reads the Authorization header like Magento (case-insensitive scheme, trimmed)", () => {
    assert.equal(bearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
    assert.equal(bearerToken("  bearer   abc.def.ghi "), "abc.def.ghi");
    assert.equal(bearerToken("Basic abc"), null);
    assert.equal(bearerToken(null), null);
    assert.equal(bearerToken("Bearer "), null);
  });
});

describe("signLedgerToken (§3.3) against an independent model of Magento's verifier", () => {
  it("mints the recommended claims in order, integer seconds, fresh uuid v4 jti", () => {
    const token = signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: new Date(IAT * 1000 + 999) });
    const payload = Buffer.from(token.split(".")[1], "base64url").toString();
    const m =
      /^\{"iss":"byte8-ledger","sub":"a8d4e2e0-1c4e-11ef-9262-0242ac120002","aud":"magento","iat":1777550400,"nbf":1777550370,"exp":1777550520,"jti":"([0-9a-f-]+)"\}$/.exec(
        payload,
      );
    assert.ok(m, payload);
    assert.match(m[1], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT) });
    assert.notEqual(again.split(".")[1], token.split(".")[1]);
  });

  it("is accepted once by Magento's rules, then rejected as a replay", () => {
    const magento = new MagentoVerifierModel(KEY, TENANT);
    const token = signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT) });
    assert.equal(magento.verify(token, IAT).ok, true);
    assert.deepEqual(magento.verify(token, IAT + 1), { ok: false, reason: "replay" });
    // A fresh token for the retry passes.
    assert.equal(magento.verify(signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT + 1) }), IAT + 1).ok, true);
  });

  it("survives a Ledger clock 30 s ahead of Magento (nbf backdated) and respects ttl bounds", () => {
    const magento = new MagentoVerifierModel(KEY, TENANT);
    assert.equal(magento.verify(signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT + 30) }), IAT).ok, true);
    assert.equal(magento.verify(signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT), ttl: 300 }), IAT).ok, true);
    assert.throws(() => signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT), ttl: 301 }), RangeError);
    assert.throws(() => signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT), ttl: 0 }), RangeError);
    assert.throws(() => signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT), ttl: 1.5 }), RangeError);
    assert.throws(() => signLedgerToken({ apiKey: KEY, connectionId: "", now: at(IAT) }));
  });

  it("uses a given jti verbatim", () => {
    const token = signLedgerToken({ apiKey: KEY, connectionId: TENANT, now: at(IAT), jti: "fixed" });
    assert.match(Buffer.from(token.split(".")[1], "base64url").toString(), /"jti":"fixed"\}$/);
  });

  describe("§13.2 verifier cases at now = 1777550400", () => {
    const claims = {
      iss: "byte8-ledger",
      sub: TENANT,
      aud: "magento",
      iat: IAT,
      nbf: IAT,
      exp: IAT + 300,
      jti: "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
    };
    const variant = (over: Record<string, unknown>, header = HEADER) => rawToken(header, JSON.stringify({ ...claims, ...over }), IN);
    const verdict = (token: string) => new MagentoVerifierModel(KEY, TENANT).verify(token, IAT).ok;

    it("the vector is accepted once; second use is a replay", () => {
      const magento = new MagentoVerifierModel(KEY, TENANT);
      assert.equal(magento.verify(INBOUND_VECTOR, IAT).ok, true);
      assert.deepEqual(magento.verify(INBOUND_VECTOR, IAT), { ok: false, reason: "replay" });
    });
    const table: [string, () => string, boolean][] = [
      ["exp − iat = 301", () => variant({ exp: IAT + 301 }), false],
      ["float iat", () => variant({ iat: IAT + 0.5 }), false],
      ["string iat", () => variant({ iat: String(IAT) }), false],
      ['aud ["magento"]', () => variant({ aud: ["magento"] }), false],
      ["nbf = now+1", () => variant({ nbf: IAT + 1 }), false],
      ["iat = now+30", () => variant({ iat: IAT + 30, exp: IAT + 300 }), true],
      ["iat = now+31", () => variant({ iat: IAT + 31, exp: IAT + 300 }), false],
      ["nbf = now−60", () => variant({ nbf: IAT - 60 }), true],
      ["extra claims", () => variant({ scope: "x", provider: "sage_accounting" }), true],
      ["header with kid", () => variant({}, '{"alg":"HS256","typ":"JWT","kid":"k"}'), true],
      ['typ "jwt"', () => variant({}, '{"alg":"HS256","typ":"jwt"}'), false],
    ];
    for (const [name, token, accepted] of table) {
      it(`${name} → ${accepted ? "accepted" : "rejected"}`, () => assert.equal(verdict(token()), accepted));
    }
  });
});

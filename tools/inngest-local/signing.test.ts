import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { bearerMatches, canonicalJson, hashSigningKey, sign, verify } from "./signing.ts";

const KEY = `signkey-test-${"ab".repeat(32)}`;

test("signs canonical JSON + timestamp with the prefix-less key as a UTF-8 string", () => {
  const body = canonicalJson({ b: 2, a: { d: 1, c: [3] } });
  assert.equal(body, '{"a":{"c":[3],"d":1},"b":2}');
  const header = sign(body, KEY, 1_700_000_000_000);
  const expected = createHmac("sha256", "ab".repeat(32)).update(`${body}1700000000`).digest("hex");
  assert.equal(header, `t=1700000000&s=${expected}`);
});

test("verification accepts the key or its fallback and rejects tampering, wrong keys and age", () => {
  const now = 1_700_000_000_000;
  const header = sign("payload", KEY, now);
  assert.deepEqual(verify(header, "payload", [KEY], now), { ok: true });
  assert.deepEqual(verify(header, "payload", [`signkey-prod-${"cd".repeat(32)}`, KEY], now), { ok: true });
  assert.equal(verify(header, "payload!", [KEY], now).ok, false);
  assert.equal(verify(header, "payload", [`signkey-test-${"cd".repeat(32)}`], now).ok, false);
  assert.equal(verify(header, "payload", [KEY], now + 6 * 60_000).ok, false);
  assert.equal(verify(undefined, "payload", [KEY], now).ok, false);
  assert.equal(verify("t=abc", "payload", [KEY], now).ok, false);
});

test("the bearer token is the prefix plus sha256 of the hex-decoded key", () => {
  const hashed = hashSigningKey(KEY);
  assert.equal(
    hashed,
    `signkey-test-${createHash("sha256")
      .update(Buffer.from("ab".repeat(32), "hex"))
      .digest("hex")}`,
  );
  assert.equal(bearerMatches(`Bearer ${hashed}`, [KEY]), true);
  assert.equal(bearerMatches(`Bearer ${KEY}`, [KEY]), true);
  assert.equal(bearerMatches("Bearer undefined", [KEY]), false);
  assert.equal(bearerMatches(undefined, [KEY]), false);
});

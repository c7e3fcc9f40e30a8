import { test } from "node:test";
import assert from "node:assert/strict";
import { parseEnv, EnvError } from "./env";

const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/ledger_test",
  LEDGER_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  AUTH_SECRET: "x".repeat(32),
};

test("a complete environment parses, with defaults filled in", () => {
  const e = parseEnv(valid);
  assert.equal(e.LEDGER_ENCRYPTION_KEY.length, 32);
  assert.equal(e.LEDGER_BASE_URL, "http://localhost:3000");
  assert.equal(e.NODE_ENV, "development");
  assert.equal(e.LEDGER_ALLOW_PRIVATE_URLS, true);
});

test("hex keys are accepted and trailing slashes are stripped from the base URL", () => {
  const e = parseEnv({ ...valid, LEDGER_ENCRYPTION_KEY: "ab".repeat(32), LEDGER_BASE_URL: "https://ledger.example.com/" });
  assert.deepEqual(e.LEDGER_ENCRYPTION_KEY, Buffer.alloc(32, 0xab));
  assert.equal(e.LEDGER_BASE_URL, "https://ledger.example.com");
});

test("fails closed when the encryption key is missing", () => {
  assert.throws(() => parseEnv({ ...valid, LEDGER_ENCRYPTION_KEY: undefined }), (e: unknown) => e instanceof EnvError && /LEDGER_ENCRYPTION_KEY/.test(e.message));
});

test("fails closed when the encryption key is not 32 bytes", () => {
  for (const bad of [Buffer.alloc(16).toString("base64"), Buffer.alloc(33).toString("base64"), "not a key!"]) {
    assert.throws(() => parseEnv({ ...valid, LEDGER_ENCRYPTION_KEY: bad }), /32 bytes|LEDGER_ENCRYPTION_KEY/);
  }
});

test("fails on a short auth secret and on a non-postgres database URL, listing every problem", () => {
  try {
    parseEnv({ ...valid, AUTH_SECRET: "short", DATABASE_URL: "mysql://x" });
    assert.fail("expected EnvError");
  } catch (e) {
    assert.ok(e instanceof EnvError);
    assert.equal(e.problems.length, 2);
    assert.ok(!e.message.includes("short"), "the message must not echo secret values");
  }
});

test("production disallows private Magento URLs unless explicitly enabled", () => {
  assert.equal(parseEnv({ ...valid, NODE_ENV: "production" }).LEDGER_ALLOW_PRIVATE_URLS, false);
  assert.equal(parseEnv({ ...valid, NODE_ENV: "production", LEDGER_ALLOW_PRIVATE_URLS: "true" }).LEDGER_ALLOW_PRIVATE_URLS, true);
});

test("plan gating is on unless a self-hosted install switches it off with LEDGER_PLAN_GATING=false", () => {
  assert.equal(parseEnv(valid).LEDGER_PLAN_GATING, true);
  assert.equal(parseEnv({ ...valid, NODE_ENV: "production" }).LEDGER_PLAN_GATING, true);
  assert.equal(parseEnv({ ...valid, LEDGER_PLAN_GATING: "false" }).LEDGER_PLAN_GATING, false);
  assert.equal(parseEnv({ ...valid, LEDGER_PLAN_GATING: "0" }).LEDGER_PLAN_GATING, false);
  assert.throws(() => parseEnv({ ...valid, LEDGER_PLAN_GATING: "sometimes" }), (e: unknown) => e instanceof EnvError && /LEDGER_PLAN_GATING/.test(e.message));
});

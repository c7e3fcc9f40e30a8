import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { EnvError, envSchema, inngestEnv, parseEnv, sageEnvSchema, settings, settingsSchema } from "./env";

const valid = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/ledger_test",
  LEDGER_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  AUTH_SECRET: "x".repeat(32),
  INNGEST_SIGNING_KEY: `signkey-test-${"ab".repeat(32)}`,
  INNGEST_EVENT_KEY: "event-key-0123456789",
};

const problems = (source: Record<string, string | undefined>): string[] => {
  try {
    parseEnv(source);
    return [];
  } catch (e) {
    assert.ok(e instanceof EnvError);
    return e.problems;
  }
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
  assert.throws(
    () => parseEnv({ ...valid, LEDGER_ENCRYPTION_KEY: undefined }),
    (e: unknown) => e instanceof EnvError && /LEDGER_ENCRYPTION_KEY/.test(e.message),
  );
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

test("production refuses INNGEST_DEV, naming the variable: the SDK would accept unsigned calls", () => {
  const found = problems({ ...valid, NODE_ENV: "production", INNGEST_DEV: "1" });
  assert.equal(found.length, 1);
  assert.match(found[0], /^INNGEST_DEV .*unsigned/);
  assert.match(problems({ ...valid, NODE_ENV: "test", INNGEST_DEV: "http://127.0.0.1:8288" })[0] ?? "", /^INNGEST_DEV /);
  // INNGEST_DEV=0 is the SDK's explicit "cloud mode": harmless.
  assert.deepEqual(problems({ ...valid, NODE_ENV: "production", INNGEST_DEV: "0" }), []);
});

test("every mode but `next dev` with a dev server requires the signing and event keys", () => {
  for (const NODE_ENV of ["production", "test", "development"]) {
    const found = problems({ ...valid, NODE_ENV, INNGEST_SIGNING_KEY: undefined, INNGEST_EVENT_KEY: undefined });
    assert.deepEqual(
      found.map((p) => p.split(" ")[0]),
      ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"],
      NODE_ENV,
    );
  }
  // `next dev` against the Inngest dev server (or the executor in dev mode) needs neither.
  assert.doesNotThrow(() =>
    parseEnv({
      ...valid,
      NODE_ENV: "development",
      INNGEST_DEV: "http://127.0.0.1:8288",
      INNGEST_SIGNING_KEY: undefined,
      INNGEST_EVENT_KEY: undefined,
    }),
  );
  assert.match(
    problems({ ...valid, NODE_ENV: "development", INNGEST_DEV: "0", INNGEST_SIGNING_KEY: undefined })[0] ?? "",
    /^INNGEST_SIGNING_KEY /,
  );
});

test("a signing key that is not an Inngest key is refused without echoing it", () => {
  const found = problems({ ...valid, NODE_ENV: "production", INNGEST_SIGNING_KEY: "hunter2-not-a-key" });
  assert.equal(found.length, 1);
  assert.match(found[0], /^INNGEST_SIGNING_KEY /);
  assert.ok(!found[0].includes("hunter2"));
});

test("plan gating is on unless a self-hosted install switches it off with LEDGER_PLAN_GATING=false", () => {
  assert.equal(parseEnv(valid).LEDGER_PLAN_GATING, true);
  assert.equal(parseEnv({ ...valid, NODE_ENV: "production" }).LEDGER_PLAN_GATING, true);
  assert.equal(parseEnv({ ...valid, LEDGER_PLAN_GATING: "false" }).LEDGER_PLAN_GATING, false);
  assert.equal(parseEnv({ ...valid, LEDGER_PLAN_GATING: "0" }).LEDGER_PLAN_GATING, false);
  assert.throws(
    () => parseEnv({ ...valid, LEDGER_PLAN_GATING: "sometimes" }),
    (e: unknown) => e instanceof EnvError && /LEDGER_PLAN_GATING/.test(e.message),
  );
});

test("settings() reads the non-secret knobs without any secret, with their defaults and limits", () => {
  const s = settings({});
  assert.equal(s.NODE_ENV, "development");
  assert.equal(s.DATABASE_POOL_MAX, 10);
  assert.equal(s.LEDGER_SAGE_RUNS_PER_MINUTE, 30);
  assert.equal(s.LEDGER_SYNC_RETRIES, 10);
  assert.equal(s.LEDGER_INVOICE_WAIT_TIMEOUT, "10m");
  assert.equal(s.LEDGER_SERVICE_NAME, "ledger");
  assert.equal(settings({ LEDGER_SYNC_RETRIES: "50" }).LEDGER_SYNC_RETRIES, 20, "Inngest's cap");
  assert.equal(settings({ SAGE_UI_BASE_URL: "not a url" }).SAGE_UI_BASE_URL, undefined, "a bad link origin means no links");
  assert.throws(
    () => settings({ DATABASE_POOL_MAX: "lots" }),
    (e: unknown) => e instanceof EnvError && /^DATABASE_POOL_MAX /.test(e.problems[0]),
  );
  assert.throws(() => settings({ LEDGER_INVOICE_WAIT_TIMEOUT: "soon" }), /LEDGER_INVOICE_WAIT_TIMEOUT/);
  // the app's boot check covers them too
  assert.throws(() => parseEnv({ ...valid, LEDGER_SAGE_PARALLEL_STEPS: "0" }), /LEDGER_SAGE_PARALLEL_STEPS/);
});

test("every variable lib/env.ts reads is documented in the README's Configuration table", () => {
  const readme = readFileSync(path.join(import.meta.dirname, "../README.md"), "utf8");
  const start = readme.indexOf("## Configuration");
  const table = readme.slice(start, readme.indexOf("\n## ", start + 5));
  const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
  const shape = (envSchema as unknown as { in: { shape: Record<string, unknown> } }).in.shape;
  const names = [
    ...Object.keys(shape),
    ...Object.keys(settingsSchema.shape),
    ...Object.keys(sageEnvSchema.shape),
    ...Object.keys(inngestEnv({})),
  ];
  for (const name of new Set(names)) assert.ok(documented.has(name), `README Configuration must document ${name}`);
});

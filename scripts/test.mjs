#!/usr/bin/env node
// The whole test suite: unit, integration (real PostgreSQL + real HTTP), then browser (Playwright in
// Debian's Chromium against the built app). Ends with one summary line: "N passed, N failed".
//
//   npm test                 everything
//   npm test -- unit         only unit tests        (also: int, e2e; several may be given)
//   TEST_DATABASE_URL=...    override the test database (must be local and end in _test)
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:net";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const wanted = new Set(process.argv.slice(2).filter((a) => !a.startsWith("-")));
const want = (layer) => wanted.size === 0 || wanted.has(layer);

const TEST_DB = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ledger_test";
const SKIP_DIRS = new Set(["node_modules", ".next", ".git", "src", "e2e", ".data", "test-results", "playwright-report"]);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith(".test.ts")) out.push(path.relative(root, p));
  }
  return out.sort();
}

function guard(url) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!name.endsWith("_test")) throw new Error(`test database "${name}" must end in _test`);
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(u.hostname)) throw new Error(`test database must be local, not ${u.hostname}`);
  return name;
}

async function ensureDatabase(url) {
  const name = guard(url);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await c.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

/** A port nothing listens on right now (bound once, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let out = "";
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

const testEnv = {
  NODE_ENV: "test",
  DATABASE_URL: TEST_DB,
  LEDGER_ENCRYPTION_KEY: process.env.LEDGER_ENCRYPTION_KEY ?? Buffer.alloc(32, 7).toString("base64"),
  AUTH_SECRET: process.env.AUTH_SECRET ?? "test-auth-secret-test-auth-secret-0123456789",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  // /api/inngest answers only signed calls outside `next dev`: every layer runs the executor signed.
  INNGEST_SIGNING_KEY: process.env.INNGEST_SIGNING_KEY ?? `signkey-test-${"5e".repeat(32)}`,
  INNGEST_EVENT_KEY: process.env.INNGEST_EVENT_KEY ?? "test-event-key-0123456789abcdef",
};
delete process.env.INNGEST_DEV;

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function countNode(layer, { code, out }) {
  const num = (k) => Number(out.match(new RegExp(`^# ${k} (\\d+)$`, "m"))?.[1] ?? 0);
  const pass = num("pass");
  const fail = num("fail") + num("cancelled");
  totals.passed += pass;
  totals.failed += fail;
  totals.skipped += num("skipped");
  if (code !== 0 && fail === 0) {
    totals.failed += 1; // the runner itself failed (e.g. a file that did not load)
    failures.push(`${layer}: runner exited ${code}`);
  } else if (fail) failures.push(`${layer}: ${fail} failed`);
}

const files = findTests(root);
const unit = files.filter((f) => !f.endsWith(".int.test.ts"));
const integration = files.filter((f) => f.endsWith(".int.test.ts"));
const nodeTest = ["--import", "tsx", "--test", "--test-reporter=tap", "--test-concurrency=1"];

if (want("unit") && unit.length) {
  console.log(`\n▶ unit tests (${unit.length} files)`);
  countNode("unit", await run(process.execPath, [...nodeTest, ...unit], testEnv));
}

if ((want("int") || want("e2e")) && (integration.length || want("e2e"))) {
  await ensureDatabase(TEST_DB);
  console.log("\n▶ resetting the test database from the committed migrations");
  const reset = await run(process.execPath, ["scripts/prisma-offline.mjs", "reset", "--force"], testEnv);
  if (reset.code !== 0) {
    console.error("database reset failed; integration and browser tests cannot run");
    totals.failed += 1;
    failures.push("db reset failed");
  } else if (want("int") && integration.length) {
    console.log(`\n▶ integration tests (${integration.length} files, real PostgreSQL)`);
    countNode("integration", await run(process.execPath, [...nodeTest, ...integration], testEnv));
  }
}

if (want("e2e") && !failures.includes("db reset failed")) {
  console.log("\n▶ building the app for browser tests");
  const build = await run("npm", ["run", "build"], { ...testEnv, NODE_ENV: "production" });
  if (build.code !== 0) {
    totals.failed += 1;
    failures.push("next build failed");
  } else {
    console.log("\n▶ browser tests (Playwright, Chromium)");
    // Specs that need the sync engine start the embedded executor (signed, with testEnv's keys) on this port themselves.
    const pw = await run("npx", ["playwright", "test"], { ...testEnv, INNGEST_BASE_URL: `http://127.0.0.1:${await freePort()}` });
    const passed = Number(pw.out.match(/(\d+) passed/)?.[1] ?? 0);
    const failed = Number(pw.out.match(/(\d+) failed/)?.[1] ?? 0) + Number(pw.out.match(/(\d+) flaky/)?.[1] ?? 0);
    totals.passed += passed;
    totals.failed += failed;
    totals.skipped += Number(pw.out.match(/(\d+) skipped/)?.[1] ?? 0);
    if (pw.code !== 0 && failed === 0) {
      totals.failed += 1;
      failures.push(`e2e: runner exited ${pw.code}`);
    } else if (failed) failures.push(`e2e: ${failed} failed`);
  }
}

if (failures.length) console.log(`\nFailures: ${failures.join("; ")}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);

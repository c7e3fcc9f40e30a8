#!/usr/bin/env node
// The whole test suite: unit, integration (real PostgreSQL + real HTTP), then browser (Playwright in
// Chromium against the built app). Ends with one summary line: "N passed, N failed".
//
//   npm test                 everything
//   npm test -- unit         only unit tests        (also: int, e2e; several may be given)
//   npm test -- int --only=<regex>   only the unit/integration files whose path matches
//   TEST_DATABASE_URL=...    override the test database (must be local and end in _test)
//   CHROMIUM_PATH=...        the browser to drive (default /usr/bin/chromium, else Playwright's own)
//
// Nothing listening at TEST_DATABASE_URL (127.0.0.1:5432 by default)? The suite then starts an
// embedded PostgreSQL for the run and points every test database at it (scripts/test/databases.ts).
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:net";
import pg from "pg";
import { tsImport } from "tsx/esm/api";

const { DEFAULT_TEST_DATABASE_URL, probeServer, serverOf } = await tsImport("./test/databases.ts", import.meta.url);

const root = path.resolve(import.meta.dirname, "..");
const wanted = new Set(process.argv.slice(2).filter((a) => !a.startsWith("-")));
const want = (layer) => wanted.size === 0 || wanted.has(layer);
const onlyArg = process.argv.slice(2).find((a) => a.startsWith("--only="));
const only = onlyArg ? new RegExp(onlyArg.slice("--only=".length)) : null;

let TEST_DB = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
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

const needsDatabase = want("int") || want("e2e");

/** Database variables for every layer: unchanged with a server at TEST_DB, else the embedded one's. */
let databaseEnv = {};
let embedded = null;
if (needsDatabase) {
  guard(TEST_DB);
  const probe = await probeServer(TEST_DB);
  if (!probe.up) {
    console.log(`\n▶ no PostgreSQL at ${serverOf(TEST_DB)} (${probe.reason}): starting an embedded PostgreSQL for this run`);
    const { startTestPostgres } = await tsImport("./test/embedded.ts", import.meta.url);
    try {
      embedded = await startTestPostgres(process.env, (l) => console.log(`  ${l}`));
    } catch (e) {
      console.error(`the embedded PostgreSQL did not start: ${e.message}`);
      console.log("\ntests: 0 passed, 1 failed, 0 skipped");
      process.exit(1);
    }
    databaseEnv = embedded.env;
    TEST_DB = embedded.env.TEST_DATABASE_URL;
    // If the runner is interrupted, the cluster goes with it (postgres itself is stopped by an exit hook).
    for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => embedded.stop().finally(() => process.exit(130)));
  }
}

const testEnv = {
  NODE_ENV: "test",
  ...databaseEnv,
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

const files = findTests(root).filter((f) => !only || only.test(f));
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

const { ensureChromium } = await tsImport("./test/chromium.ts", import.meta.url);
const browser = want("e2e") && !failures.includes("db reset failed") ? ensureChromium(process.env, (l) => console.log(l)) : null;
if (browser && "error" in browser) {
  console.error(`\n${browser.error}`);
  totals.failed += 1;
  failures.push("no Chromium");
} else if (browser) {
  console.log(`\n▶ browser: ${browser.path} (${browser.source})`);
  console.log("\n▶ building the app for browser tests");
  const build = await run("npm", ["run", "build"], { ...testEnv, NODE_ENV: "production" });
  if (build.code !== 0) {
    totals.failed += 1;
    failures.push("next build failed");
  } else {
    console.log("\n▶ browser tests (Playwright, Chromium)");
    // Specs that need the sync engine start the embedded executor (signed, with testEnv's keys) on this port themselves.
    const pw = await run("npx", ["playwright", "test"], {
      ...testEnv,
      CHROMIUM_PATH: browser.path,
      INNGEST_BASE_URL: `http://127.0.0.1:${await freePort()}`,
    });
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

if (embedded) {
  await embedded.stop();
  console.log("\n▶ embedded PostgreSQL stopped and removed");
}

if (failures.length) console.log(`\nFailures: ${failures.join("; ")}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);

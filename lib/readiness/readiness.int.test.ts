import "@/test/support/env";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Inngest } from "inngest";
import { serve } from "inngest/next";
import pg from "pg";
import { db } from "@/lib/db";
import { closedPort } from "@/test/support/magento/intake-harness";
import { assertTestDatabase } from "@/test/support/db";
import { appInngestEnv, pointAppAtExecutor, signingKeys } from "@/test/support/inngest";
import { spawnRouteServer, startRouteServer, type RouteServer } from "@/test/support/route-server";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { migrationsCheck, shippedMigrations } from "./database";

/** /api/health and /api/ready over real HTTP, against the migrated test database and a real executor. */

const READY_ROUTES = { "/api/health": "app/api/health/route.ts", "/api/ready": "app/api/ready/route.ts" };

let executor: RunningExecutor;
let server: RouteServer;

async function get(url: string) {
  const r = await fetch(url);
  const text = await r.text();
  return { status: r.status, text, json: JSON.parse(text) as Record<string, any>, cache: r.headers.get("cache-control") }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

before(async () => {
  // The executor keeps its registered apps in the test database: start from none.
  const client = new pg.Client({ connectionString: assertTestDatabase() });
  await client.connect();
  await client.query("DROP SCHEMA IF EXISTS inngest_local CASCADE").finally(() => client.end());
  executor = await startExecutor({ databaseUrl: assertTestDatabase(), port: 0, syncIntervalMs: 0, ...signingKeys() });
  await pointAppAtExecutor(executor.url);
  const [health, ready] = await Promise.all([import("@/app/api/health/route"), import("@/app/api/ready/route")]);
  // An app with no functions to register: Ledger's own would leave its crons scheduled in the shared
  // test database for every later executor to run.
  const emptyApp = serve({ client: new Inngest({ id: "ledger-readiness-test" }), functions: [] });
  server = await startRouteServer([
    { pattern: "/api/health", module: health },
    { pattern: "/api/ready", module: ready },
    { pattern: "/api/inngest", module: emptyApp },
  ]);
});

after(async () => {
  await server.close();
  await executor.stop();
  await db().$disconnect();
});

describe("GET /api/health", () => {
  it("answers 200 with the process's uptime, uncached", async () => {
    const r = await get(`${server.url}/api/health`);
    assert.equal(r.status, 200);
    assert.equal(r.json.status, "ok");
    assert.equal(typeof r.json.uptime_seconds, "number");
    assert.equal(r.cache, "no-store");
  });
});

describe("GET /api/ready", () => {
  it("200 with every check ok: database, all shipped migrations applied, the executor reachable and then registered", async () => {
    const before = await get(`${server.url}/api/ready`);
    assert.equal(before.status, 200, before.text);
    assert.equal(before.json.status, "ready");
    const { database, migrations, inngest } = before.json.checks;
    assert.equal(database.status, "ok");
    assert.equal(migrations.status, "ok");
    assert.equal(migrations.applied, shippedMigrations().length);
    assert.ok(migrations.applied >= 3);
    assert.deepEqual(migrations.pending, []);
    assert.deepEqual([inngest.status, inngest.mode, inngest.registered], ["ok", "self_hosted", false]);
    for (const c of [database, migrations, inngest]) assert.equal(typeof c.duration_ms, "number");

    const [synced] = await executor.sync(`${server.url}/api/inngest`);
    assert.ok(synced.ok, synced.message);
    const after = await get(`${server.url}/api/ready`);
    assert.equal(after.json.checks.inngest.registered, true);
  });

  it("a migration this build ships but the database lacks fails the check and names it", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ledger-migrations-"));
    try {
      for (const name of [...shippedMigrations(), "29991231000000_not_deployed_yet"]) mkdirSync(path.join(dir, name));
      const result = await migrationsCheck(dir);
      assert.equal(result.status, "fail");
      assert.deepEqual(result.pending, ["29991231000000_not_deployed_yet"]);
      assert.match(result.detail, /1 of \d+ migrations not applied: run `npm run db:deploy`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("503 naming each failed check when PostgreSQL and Inngest are down, without leaking where they are", async () => {
    const [dbPort, inngestPort] = [await closedPort(), await closedPort()];
    const child = await spawnRouteServer(READY_ROUTES, {
      DATABASE_URL: `postgresql://ledger_user:s3cret-pw@127.0.0.1:${dbPort}/ledger_test`,
      ...appInngestEnv(`http://127.0.0.1:${inngestPort}`),
      LOG_LEVEL: "silent",
    });
    try {
      const health = await get(`${child.url}/api/health`);
      assert.equal(health.status, 200, "liveness does no I/O: still 200");
      const r = await get(`${child.url}/api/ready`);
      assert.equal(r.status, 503, r.text);
      assert.equal(r.json.status, "not_ready");
      const { database, migrations, inngest } = r.json.checks;
      assert.deepEqual([database.status, migrations.status, inngest.status], ["fail", "fail", "fail"]);
      assert.match(database.detail, /^PostgreSQL cannot be reached \(\w+\)$/);
      assert.match(inngest.detail, /^the Inngest server cannot be reached \(\w+\)$/);
      for (const secret of ["s3cret-pw", "ledger_user", String(dbPort), String(inngestPort), "127.0.0.1", "ledger_test"]) {
        assert.equal(r.text.includes(secret), false, `the body must not mention ${secret}: ${r.text}`);
      }
    } finally {
      await child.stop();
    }
  });
});

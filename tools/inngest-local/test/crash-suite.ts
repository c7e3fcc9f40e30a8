import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  calls,
  type Child,
  EVENT_KEY,
  ExecutorClient,
  freePort,
  type Mode,
  repoRoot,
  resetDatabase,
  SIGNING_KEY,
  spawnTs,
  startFixtureApp,
  testDatabaseUrl,
  waitFor,
} from "./harness.ts";

/**
 * Crash recovery with the executor as a child process started by the CLI (syncing its app at
 * start: out-of-band in dev mode, in-band in cloud mode). Both processes are SIGKILLed mid-run.
 */
export function crashSuite(mode: Mode): void {
  const dbUrl = testDatabaseUrl();
  let pool: pg.Pool;
  let executor: Child | undefined;
  let app: Child | undefined;
  let executorPort = 0;
  let appPort = 0;
  let client: ExecutorClient;

  const startExecutorProcess = () =>
    spawnTs(
      path.join(repoRoot, "tools/inngest-local/cli.ts"),
      [
        "start",
        "--port",
        String(executorPort),
        "--app-url",
        `http://127.0.0.1:${appPort}/api/inngest`,
        "--sync-mode",
        mode === "cloud" ? "in_band" : "out_of_band",
        "--sync-interval-ms",
        "0",
        "--lease-ms",
        "2000",
        "--retry-base-ms",
        "100",
      ],
      {
        INNGEST_LOCAL_DATABASE_URL: dbUrl,
        INNGEST_SIGNING_KEY: mode === "cloud" ? SIGNING_KEY : "",
        INNGEST_EVENT_KEY: mode === "cloud" ? EVENT_KEY : "",
      },
      /listening on/,
    );

  describe(`inngest-local crash recovery (${mode} mode)`, () => {
    before(async () => {
      await resetDatabase(dbUrl);
      pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
      executorPort = await freePort();
      appPort = await freePort();
      executor = await startExecutorProcess();
      client = new ExecutorClient(`http://127.0.0.1:${executorPort}`, mode);
      app = await startFixtureApp(appPort, mode, client.url);
      // The CLI keeps syncing its --app-url until the app answers.
      await waitFor(
        async () => {
          const apps = await client.get<Array<{ app_id: string; functions: string[] }>>("/v0/apps");
          return apps.find((a) => a.app_id === "fixture" && a.functions.length === 20);
        },
        20_000,
        "the app to be synced at start",
      );
    });

    after(async () => {
      await app?.kill();
      await executor?.kill();
      await pool?.end();
    });

    test("executor SIGKILLed mid-sleep and mid-call resumes without re-running recorded steps", async () => {
      const [sleeping, slow] = await client.send([{ name: "t/crash-exec" }, { name: "t/slow" }]);
      await waitFor(
        async () => (await calls(pool, "crash-exec.t0")).length === 1 && (await calls(pool, "slow.s2.start")).length === 1,
        15_000,
        "both runs mid-flight",
      );
      await executor?.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      executor = await startExecutorProcess();
      const [a] = await client.runsOf(sleeping, 1, 30_000);
      const [b] = await client.runsOf(slow, 1, 30_000);
      assert.equal(a.status, "Completed");
      assert.equal(b.status, "Completed");
      assert.equal((await calls(pool, "crash-exec.t0", a.run_id)).length, 1);
      assert.equal((await calls(pool, "crash-exec.t1", a.run_id)).length, 1);
      assert.equal((await calls(pool, "slow.s1", b.run_id)).length, 1);
      assert.equal((await calls(pool, "slow.s3", b.run_id)).length, 1);
      // s2 was in flight when the executor died: at-least-once, so it may run again, never s1.
      assert.ok((await calls(pool, "slow.s2.start", b.run_id)).length >= 1);
    });

    test("app SIGKILLed mid-step is retried after ECONNREFUSED and the run completes", async () => {
      const [id] = await client.send([{ name: "t/slow" }]);
      const runId = await waitFor(
        async () => (await client.get<Array<{ run_id: string }>>(`/v1/events/${id}/runs`))[0]?.run_id,
        10_000,
        "run",
      );
      await waitFor(async () => (await calls(pool, "slow.s2.start", runId)).length === 1, 15_000, "s2 to start");
      await app?.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 1000));
      app = await startFixtureApp(appPort, mode, client.url);
      const [run] = await client.runsOf(id, 1, 30_000);
      assert.equal(run.status, "Completed");
      assert.equal((await calls(pool, "slow.s1", runId)).length, 1);
      assert.equal((await calls(pool, "slow.s2.start", runId)).length, 2);
      assert.equal((await calls(pool, "slow.s2.end", runId)).length, 1);
      assert.equal((await calls(pool, "slow.s3", runId)).length, 1);
    });
  });
}

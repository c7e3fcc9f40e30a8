import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startExecutor, type RunningExecutor } from "../executor.ts";
import {
  calls,
  type Child,
  EVENT_KEY,
  ExecutorClient,
  freePort,
  type Mode,
  resetDatabase,
  SIGNING_KEY,
  startFixtureApp,
  testDatabaseUrl,
  waitFor,
} from "./harness.ts";

type Interval = { start: number; end: number; key: string };

function assertNoOverlap(rows: Array<{ info: Record<string, unknown> }>): void {
  const byKey = new Map<string, Interval[]>();
  for (const r of rows) {
    const iv = r.info as unknown as Interval;
    byKey.set(iv.key, [...(byKey.get(iv.key) ?? []), iv]);
  }
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      assert.ok(
        list[i].start >= list[i - 1].end,
        `key ${key}: step started at ${list[i].start} before the previous ended at ${list[i - 1].end}`,
      );
    }
  }
}

/** The contract suite, run once per mode: one executor (in-process) and one fixture app. */
export function contractSuite(mode: Mode): void {
  const dbUrl = testDatabaseUrl();
  let executor: RunningExecutor;
  let app: Child;
  let client: ExecutorClient;
  let pool: pg.Pool;
  let appUrl = "";

  describe(`inngest-local contract (${mode} mode)`, { concurrency: true }, () => {
    before(async () => {
      await resetDatabase(dbUrl);
      pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
      executor = await startExecutor({
        databaseUrl: dbUrl,
        port: 0,
        workers: 6,
        retryBaseMs: 100,
        pollMs: 50,
        leaseMs: 5_000,
        ...(mode === "cloud" ? { signingKey: SIGNING_KEY, eventKey: EVENT_KEY } : {}),
      });
      client = new ExecutorClient(executor.url, mode);
      const port = await freePort();
      app = await startFixtureApp(port, mode, executor.url, { FIXTURE_WITH_CRON: "1" });
      appUrl = `http://127.0.0.1:${port}/api/inngest`;
      const [sync] = await executor.sync(appUrl);
      assert.equal(sync.ok, true, sync.message);
    });

    after(async () => {
      await app?.kill();
      await executor?.stop();
      await pool?.end();
    });

    test("registration stores every function, including the onFailure handler", async () => {
      const apps = await client.get<Array<{ app_id: string; url: string; functions: string[] }>>("/v0/apps");
      const fixture = apps.find((a) => a.app_id === "fixture");
      assert.ok(fixture);
      assert.equal(fixture.url, appUrl);
      assert.equal(fixture.functions.length, 21);
      assert.ok(fixture.functions.includes("fixture-fails-failure"));
      assert.ok(fixture.functions.includes("fixture-cron"));
    });

    test("unimplemented config fields are refused at registration", async () => {
      const badUrl = appUrl.replace("/api/inngest", "/api/inngest-bad");
      const { status, data } = await client.post<Array<{ ok: boolean; status: number; message: string }>>("/v0/sync", { url: badUrl });
      assert.equal(status, 502);
      assert.equal(data[0].ok, false);
      assert.match(data[0].message, /debounce/);
      assert.match(data[0].message, /batchEvents/);
      assert.match(data[0].message, /priority/);
      const apps = await client.get<Array<{ app_id: string; functions: string[]; refused: Array<{ id: string }> }>>("/v0/apps");
      const bad = apps.find((a) => a.app_id === "fixture-bad");
      assert.deepEqual(bad?.functions, ["fixture-bad-fine"]);
      assert.deepEqual(bad?.refused.map((r) => r.id).sort(), ["fixture-bad-batched", "fixture-bad-debounced", "fixture-bad-prioritised"]);
    });

    test("a step failing twice is retried while earlier steps run once", async () => {
      const [id] = await client.send([{ name: "t/retry" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.deepEqual(run.output, { a: 1, b: 2, c: 3 });
      assert.equal((await calls(pool, "retry.s1", run.run_id)).length, 1);
      assert.deepEqual(
        (await calls(pool, "retry.s2", run.run_id)).map((c) => c.attempt),
        [0, 1, 2],
      );
      assert.equal((await calls(pool, "retry.s3", run.run_id)).length, 1);
      assert.equal((await client.run(run.run_id)).steps.length, 3);
    });

    test("step.sleep resumes after the duration", async () => {
      const [id] = await client.send([{ name: "t/sleep" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.ok((run.output as { sleptMs: number }).sleptMs >= 2000);
      assert.deepEqual(
        (await client.run(run.run_id)).steps.map((s) => s.op),
        ["StepRun", "Sleep", "StepRun"],
      );
    });

    test("parallel steps and a loop with repeated ids", async () => {
      const [id] = await client.send([{ name: "t/parallel" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.deepEqual(run.output, { x: "x", y: "y", loop: [0, 1, 2] });
      assert.equal((await client.run(run.run_id)).steps.length, 5);
    });

    test("sendEvent, invoke and waitForEvent with match", async () => {
      const orderId = `o-${mode}`;
      const [id] = await client.send([{ name: "t/orchestrate", data: { orderId } }]);
      const runId = await waitFor(
        async () => (await client.get<Array<{ run_id: string }>>(`/v1/events/${id}/runs`))[0]?.run_id,
        10_000,
        "run",
      );
      await waitFor(async () => (await client.run(runId)).pending.some((p) => p.op === "WaitForEvent"), 15_000, "the wait");
      await client.send([{ name: "t/approved", data: { orderId: "someone-else" } }]);
      assert.equal((await client.run(runId)).status, "Running");
      // Two matches in one send: the first in the batch resumes the wait, the second finds it gone.
      await client.send([
        { name: "t/approved", data: { orderId, ok: true } },
        { name: "t/approved", data: { orderId, ok: "too late" } },
      ]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.deepEqual(run.output, { sentIds: 1, inv: { doubled: 42 }, approved: { orderId, ok: true } });
    });

    test("waitForEvent times out with null and leaves no wait behind", async () => {
      const [id] = await client.send([{ name: "t/wait-timeout" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.deepEqual(run.output, { result: null });
      const waits = await pool.query("SELECT 1 FROM inngest_local.waits WHERE run_id = $1", [run.run_id]);
      assert.equal(waits.rowCount, 0);
    });

    test("a concurrency key with limit 1 never overlaps", async () => {
      const ids = await client.send([
        ...["A", "A", "A", "A"].map((tenant) => ({ name: "t/conc", data: { tenant } })),
        ...["B", "B", "B"].map((tenant) => ({ name: "t/conc", data: { tenant } })),
      ]);
      for (const id of ids) assert.equal((await client.runsOf(id))[0].status, "Completed");
      const rows = await calls(pool, "conc");
      assert.equal(rows.length, 7);
      assertNoOverlap(rows);
    });

    test("an env-scoped concurrency key is shared by two functions", async () => {
      const ids = await client.send([
        ...[1, 2, 3].map(() => ({ name: "t/shared-a", data: { conn: "sage-1" } })),
        ...[1, 2, 3].map(() => ({ name: "t/shared-b", data: { conn: "sage-1" } })),
      ]);
      const runs = await Promise.all(ids.map(async (id) => (await client.runsOf(id))[0]));
      assert.ok(runs.every((r) => r.status === "Completed"));
      assert.deepEqual(new Set(runs.map((r) => r.function_id)), new Set(["fixture-shared-a", "fixture-shared-b"]));
      const rows = await calls(pool, "shared");
      assert.equal(rows.length, 6);
      assertNoOverlap(rows);
    });

    test("a throttle of 2 per 2s is never exceeded under a burst", async () => {
      const ids = await client.send([1, 2, 3, 4, 5].map(() => ({ name: "t/throttle", data: { k: "acct-1" } })));
      const runs = await Promise.all(ids.map(async (id) => (await client.runsOf(id))[0]));
      const starts = runs.map((r) => Date.parse(r.run_started_at ?? "")).sort((a, b) => a - b);
      assert.equal(starts.length, 5);
      // At most 2 starts in any 2 s window <=> any 3 consecutive starts span at least 2 s.
      for (let i = 2; i < starts.length; i++) assert.ok(starts[i] - starts[i - 2] >= 2000, `starts ${starts.join(",")}`);
      // The app sees the same pacing, give or take the call latency between admission and the step
      // (up to 500 ms on a loaded machine); without a throttle all five would start together.
      const seen = (await calls(pool, "throttle.start")).map((c) => Number(c.info.at)).sort((a, b) => a - b);
      assert.equal(seen.length, 5);
      for (let i = 2; i < seen.length; i++) assert.ok(seen[i] - seen[i - 2] >= 1500, `app starts ${seen.join(",")}`);
    });

    test("an idempotency key starts one run per key", async () => {
      const [first] = await client.send([{ name: "t/idem", data: { key: "k1" } }]);
      const [second] = await client.send([{ name: "t/idem", data: { key: "k1" } }]);
      const [other] = await client.send([{ name: "t/idem", data: { key: "k2" } }]);
      assert.equal((await client.runsOf(first)).length, 1);
      assert.equal((await client.runsOf(other)).length, 1);
      assert.deepEqual(await client.get(`/v1/events/${second}/runs`), []);
    });

    test("a duplicate event id starts one run", async () => {
      const id = `dup-${mode}-${Date.now()}`;
      const a = await client.send([{ name: "t/dedupe", id }]);
      const b = await client.send([{ name: "t/dedupe", id }]);
      assert.deepEqual(a, [id]);
      assert.deepEqual(b, [id]);
      assert.equal((await client.runsOf(id)).length, 1);
      // Repeated inside one send: stored and run once, both copies answered with the id.
      const twice = `${id}-twice`;
      assert.deepEqual(
        await client.send([
          { name: "t/dedupe", id: twice },
          { name: "t/dedupe", id: twice },
        ]),
        [twice, twice],
      );
      assert.equal((await client.runsOf(twice)).length, 1);
    });

    test("retries exhausted fail the run and trigger onFailure", async () => {
      const [id] = await client.send([{ name: "t/fail", data: { order: 7 } }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Failed");
      assert.deepEqual(
        (await calls(pool, "fails.boom", run.run_id)).map((c) => c.attempt),
        [0, 1],
      );
      const [handled] = await waitFor(
        async () => {
          const rows = await calls(pool, "fails.onFailure");
          return rows.find((r) => (r.info.original as { order?: number }).order === 7) ? rows : null;
        },
        15_000,
        "onFailure",
      );
      assert.equal(handled.info.message, "always fails");
    });

    test("NonRetriableError is tried once and can be caught", async () => {
      const [id] = await client.send([{ name: "t/non-retriable" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.deepEqual(run.output, { caught: "no retry please" });
      assert.equal((await calls(pool, "nr.call", run.run_id)).length, 1);
    });

    test("RetryAfterError delays the retry by its retry-after", async () => {
      const [id] = await client.send([{ name: "t/retry-after" }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Completed");
      assert.equal(run.output, "ok");
      const tries = await calls(pool, "ra.call", run.run_id);
      assert.deepEqual(
        tries.map((t) => t.attempt),
        [0, 1],
      );
      assert.ok(Number(tries[1].info.at) - Number(tries[0].info.at) >= 950);
    });

    test("cancelOn cancels a sleeping run on the matching event only", async () => {
      const [id] = await client.send([{ name: "t/cancellable", data: { id: `c-${mode}` } }]);
      const runId = await waitFor(
        async () => (await client.get<Array<{ run_id: string }>>(`/v1/events/${id}/runs`))[0]?.run_id,
        10_000,
        "run",
      );
      await waitFor(async () => (await client.run(runId)).pending.some((p) => p.op === "Sleep"), 10_000, "the sleep");
      await client.send([{ name: "t/cancel", data: { id: "not-this-one" } }]);
      assert.equal((await client.run(runId)).status, "Running");
      await client.send([{ name: "t/cancel", data: { id: `c-${mode}` } }]);
      const [run] = await client.runsOf(id);
      assert.equal(run.status, "Cancelled");
      assert.equal((await calls(pool, "cancel.before", runId)).length, 1);
      assert.equal((await calls(pool, "cancel.after", runId)).length, 0);
    });

    test("a 6-field cron trigger runs on schedule", async () => {
      const ticks = await waitFor(
        async () => {
          const rows = await calls(pool, "cron.tick");
          return rows.length >= 2 ? rows : null;
        },
        15_000,
        "two cron ticks",
      );
      assert.ok(ticks.every((t) => t.info.name === "inngest/scheduled.timer"));
    });

    test("unknown endpoints answer 404 so protocol drift is loud", async () => {
      const res = await fetch(`${executor.url}/v1/checkpoint/run/async`, { method: "POST", body: "{}" });
      assert.equal(res.status, mode === "cloud" ? 401 : 404);
    });

    test("the runs page lists runs with their steps", async () => {
      const [id] = await client.send([{ name: "t/dedupe", data: { page: true } }]);
      const [run] = await client.runsOf(id);
      const res = await fetch(`${executor.url}/`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      const html = await res.text();
      assert.ok(html.includes(run.run_id));
      assert.ok(html.includes("fixture-dedupe"));
      const list = await client.get<Array<{ run_id: string }>>("/v1/runs?limit=500");
      assert.ok(list.some((r) => r.run_id === run.run_id));
    });

    if (mode === "dev") {
      test("an opcode the executor does not implement fails the run loudly", async () => {
        const fake = createServer((req, res) => {
          res.writeHead(206, { "content-type": "application/json" });
          res.end(JSON.stringify([{ id: "abc", op: "WaitForSignal", name: "sig", opts: { signal: "s", timeout: "1m" } }]));
        });
        await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", () => resolve()));
        try {
          const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api/inngest`;
          const reg = await fetch(`${executor.url}/fn/register`, {
            method: "POST",
            body: JSON.stringify({
              url: fakeUrl,
              appName: "fake",
              functions: [
                {
                  id: "fake-signal",
                  triggers: [{ event: "t/signal" }],
                  steps: { step: { id: "step", name: "step", runtime: { type: "http", url: `${fakeUrl}?fnId=fake-signal&stepId=step` } } },
                },
              ],
            }),
          });
          assert.equal(reg.status, 200);
          const [id] = await client.send([{ name: "t/signal" }]);
          const [run] = await client.runsOf(id);
          assert.equal(run.status, "Failed");
          assert.match(JSON.stringify(run.error), /does not implement opcode \\"WaitForSignal\\"/);
        } finally {
          await new Promise((resolve) => fake.close(resolve));
        }
      });
    }

    if (mode === "cloud") {
      test("signed mode rejects a wrong event key and unauthenticated register or reads", async () => {
        const ev = await fetch(`${executor.url}/e/wrong-key`, { method: "POST", body: JSON.stringify([{ name: "t/dedupe" }]) });
        assert.equal(ev.status, 401);
        const reg = await fetch(`${executor.url}/fn/register`, {
          method: "POST",
          body: "{}",
          headers: { authorization: "Bearer signkey-test-nope" },
        });
        assert.equal(reg.status, 401);
        const read = await fetch(`${executor.url}/v1/runs`);
        assert.equal(read.status, 401);
        const unsignedCall = await fetch(`${appUrl}?fnId=fixture-dedupe&stepId=step`, {
          method: "POST",
          body: JSON.stringify({ event: { name: "t/dedupe" }, ctx: { run_id: "x" } }),
        });
        assert.equal(unsignedCall.status, 401);
      });
    }
  });
}

import "../tools/inngest-local/test/quiet-logs.ts";
import pg from "pg";
import { startExecutor } from "../tools/inngest-local/executor.ts";
import { canonicalJson, sign } from "../tools/inngest-local/signing.ts";
import {
  EVENT_KEY,
  ExecutorClient,
  freePort,
  resetDatabase,
  SIGNING_KEY,
  startFixtureApp,
  testDatabaseUrl,
} from "../tools/inngest-local/test/harness.ts";

/**
 * Executor benchmark: throughput of a 3-step function, and the executor's overhead per step
 * against a baseline measured in the same run — the same four SDK calls a 3-step run needs,
 * made directly against the app with no executor in between. Signed mode on both sides, as Ledger
 * runs it: the executor signs every call and the SDK verifies it, and so does the baseline.
 *
 *   node --import tsx bench/executor.ts [--short]
 */

const short = process.argv.includes("--short");
const BURST = short ? 5 : 200;
const SEQUENTIAL = short ? 3 : 30;
const WORKERS = 4;
const dbUrl = process.env.INNGEST_LOCAL_BENCH_DATABASE_URL ?? testDatabaseUrl();

type Op = { id: string; op: string; data?: unknown };

/** Polls tightly (2 ms) so the poll interval does not dominate what is measured. */
async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** One 3-step run driven by hand, each call signed as the executor signs it: discovery calls until the function returns (200). */
async function directRun(fnUrl: string, runId: string): Promise<number> {
  const steps: Record<string, { data: unknown }> = {};
  const stack: string[] = [];
  for (let calls = 1; calls <= 10; calls++) {
    const body = canonicalJson({
      event: { id: runId, name: "t/bench", data: {}, ts: Date.now() },
      events: [{ id: runId, name: "t/bench", data: {}, ts: Date.now() }],
      steps,
      ctx: {
        run_id: runId,
        attempt: 0,
        max_attempts: 5,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack, current: stack.length },
      },
      version: -1,
    });
    const res = await fetch(fnUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-inngest-signature": sign(body, SIGNING_KEY) },
      body,
    });
    if (res.status === 200) {
      await res.text();
      return calls;
    }
    const ops = (await res.json()) as Op[];
    if (res.status !== 206 || ops[0]?.op !== "StepRun") throw new Error(`unexpected ${res.status} ${JSON.stringify(ops)}`);
    steps[ops[0].id] = { data: ops[0].data ?? null };
    stack.push(ops[0].id);
  }
  throw new Error("run did not finish");
}

async function main(): Promise<void> {
  await resetDatabase(dbUrl);
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  const executor = await startExecutor({
    databaseUrl: dbUrl,
    port: 0,
    workers: WORKERS,
    pollMs: 20,
    signingKey: SIGNING_KEY,
    eventKey: EVENT_KEY,
  });
  const port = await freePort();
  const app = await startFixtureApp(port, "cloud", executor.url);
  const appUrl = `http://127.0.0.1:${port}/api/inngest`;
  try {
    const [sync] = await executor.sync(appUrl);
    if (!sync.ok) throw new Error(sync.message);
    const client = new ExecutorClient(executor.url, "cloud");
    const completed = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM inngest_local.runs WHERE fn_id = 'fixture-bench' AND status = 'Completed'",
          )
        ).rows[0].n,
      );
    const failed = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM inngest_local.runs WHERE status <> 'Completed' AND ended_at IS NOT NULL",
          )
        ).rows[0].n,
      );

    // Warm both sides (tsx compile caches, SDK init, connection pools).
    await client.send([{ name: "t/bench" }]);
    await until(async () => (await completed()) >= 1, 30_000, "warm-up run");

    const fnUrl = `${appUrl}?fnId=fixture-bench&stepId=step`;
    let sdkCalls = 0;
    const baseStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) sdkCalls = await directRun(fnUrl, `bench-direct-${i}`);
    const baselineMs = (performance.now() - baseStart) / SEQUENTIAL;

    let done = await completed();
    const seqStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) {
      await client.send([{ name: "t/bench" }]);
      const target = ++done;
      await until(async () => (await completed()) >= target, 30_000, "sequential run");
    }
    const executorMs = (performance.now() - seqStart) / SEQUENTIAL;

    const burstStart = performance.now();
    const target = done + BURST;
    await client.send(Array.from({ length: BURST }, () => ({ name: "t/bench" })));
    await until(async () => (await completed()) >= target, 600_000, "burst");
    const burstSeconds = (performance.now() - burstStart) / 1000;
    if ((await failed()) > 0) throw new Error("some benchmark runs failed");

    const rows: Array<[string, string]> = [
      [`throughput, ${BURST} runs of a 3-step function, ${WORKERS} workers`, `${(BURST / burstSeconds).toFixed(1)} runs/s`],
      [`one run at a time via the executor (mean of ${SEQUENTIAL})`, `${executorMs.toFixed(1)} ms/run`],
      [`baseline: the same ${sdkCalls} SDK calls made directly`, `${baselineMs.toFixed(1)} ms/run`],
      ["executor overhead per step (3 steps)", `${((executorMs - baselineMs) / 3).toFixed(1)} ms`],
      ["executor / baseline", `${(executorMs / baselineMs).toFixed(2)}x`],
    ];
    process.stdout.write(`\n| inngest-local benchmark${short ? " (--short)" : ""} | value |\n|---|---|\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
  } finally {
    await app.kill();
    await executor.stop();
    await pool.end();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

import { BENCH_DATABASE_URL, numberArg, SHORT } from "./lib/env";
import "@/test/support/env";
import { randomUUID } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { appInngestEnv, signingKeys } from "@/test/support/inngest";
import { spawnRouteServer } from "@/test/support/route-server";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startExecutor } from "@/tools/inngest-local/executor";
import { dropDatabase, prepareDatabase } from "./lib/db";
import { cpuMs, idleCpuMs } from "./lib/cpu";
import { LoadClient } from "./lib/http-client";
import { buildOnce, hasBuild, startNext } from "./lib/next-server";
import { percentile, printTable, ratio } from "./lib/stats";

/**
 * Webhook intake against the real production server (`next start`, built once), 32 concurrent
 * keep-alive clients over real HTTP (bench/lib/http-client.ts: a load generator that leaves the
 * shared cores to the server), and in the same run the figures it is judged against:
 * - the floor: the same server's cheapest answer (a GET on the webhook route → 405, no work at all);
 * - bad-token rejections (a token signed with the wrong key for a known store → 401);
 * - accepted-and-durable webhooks (202 + receipt + queued run, the event at the embedded executor);
 * - raw single-row INSERTs into the same PostgreSQL from the same number of clients;
 * - two `next start` instances on one database, the clients spread over both: combined intake.
 * Goals (issue 15): intake ≥ 0.5 × floor and p99 < 100 ms; rejections ≥ 0.8 × floor.
 *
 *   node --import tsx bench/intake.ts [--short] [--clients 32] [--seconds 10] [--port 3410] [--statements]
 *
 * `--short` (CI) uses the existing build when there is one; without one it serves the same route
 * handlers from test/support/route-server.ts rather than spend minutes building, and says so.
 */

const CLIENTS = numberArg("clients", SHORT ? 4 : 32);
const SECONDS = numberArg("seconds", SHORT ? 1 : 10);
const WARMUP_SECONDS = SHORT ? 0.5 : 3;
/** `--port N`: the first instance listens on N, the second on N + 1 (default: any free port). */
const PORT = numberArg("port", 0);
/**
 * `--statements`: after the timed intake, its PostgreSQL statements by total time (triggers' nested
 * statements too when `pg_stat_statements.track = all`). Needs pg_stat_statements in the server's
 * shared_preload_libraries; this is how the status-view triggers' sequential scan was found.
 */
const STATEMENTS = process.argv.includes("--statements");

interface Load {
  ok: number;
  failed: number;
  latencies: number[];
  seconds: number;
  /**
   * CPU milliseconds per answer: the app server(s), the app's PostgreSQL sessions, this process (the
   * load generator and the embedded executor), and what the machine left idle (all cores).
   */
  cpu: { server: number; database: number; here: number; idle: number };
}

/** Whose CPU a phase is charged with: the app servers' processes and the app's database sessions. */
let cpuPids: () => Promise<{ server: number[]; database: number[] }> = async () => ({ server: [], database: [] });

/** `clients` loops issuing `once()` back to back for `seconds`; only the timed window is recorded. */
async function load(clients: number, seconds: number, once: (i: number, client: number) => Promise<boolean>): Promise<Load> {
  let seq = 0;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const pids = await cpuPids();
  const cpu0 = { server: cpuMs(pids.server), database: cpuMs(pids.database), here: process.cpuUsage(), idle: idleCpuMs() };
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const good = await once(seq++, client);
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  const n = Math.max(1, ok + failed);
  const used = process.cpuUsage(cpu0.here);
  const cpu = {
    server: (cpuMs(pids.server) - cpu0.server) / n,
    database: (cpuMs(pids.database) - cpu0.database) / n,
    here: (used.user + used.system) / 1000 / n,
    idle: (idleCpuMs() - cpu0.idle) / n,
  };
  return { ok, failed, latencies, seconds: (performance.now() - start) / 1000, cpu };
}

const cpuCell = (l: Load) =>
  `${l.cpu.server.toFixed(2)} / ${l.cpu.database.toFixed(2)} / ${l.cpu.here.toFixed(2)} / ${l.cpu.idle.toFixed(2)}`;

const rate = (l: Load) => l.ok / l.seconds;
const lat = (l: Load) => `${percentile(l.latencies, 50).toFixed(1)} / ${percentile(l.latencies, 99).toFixed(1)} ms`;

let instances = 0;

function freePort(): Promise<number> {
  if (PORT) return Promise.resolve(PORT + instances++);
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const useNext = !SHORT || hasBuild();
  if (useNext) buildOnce();
  await prepareDatabase(BENCH_DATABASE_URL);
  const { seedStore } = await import("@/test/support/builders/stores");
  const { mintApiKey } = await import("@/lib/magento/keys");
  const { db } = await import("@/lib/db");
  const store = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  const executor = await startExecutor({
    databaseUrl: BENCH_DATABASE_URL,
    port: 0,
    workers: 1,
    pollMs: 1000,
    syncIntervalMs: 0,
    ...signingKeys(),
  });
  // Named so that the app's own database sessions can be told from the executor's and this script's.
  const APP_SESSION = "ledger_bench_app";
  const appEnv = {
    DATABASE_URL: `${BENCH_DATABASE_URL}?application_name=${APP_SESSION}`,
    ...appInngestEnv(executor.url),
    LOG_LEVEL: "warn",
    DATABASE_POOL_MAX: "20",
  };
  const servers: Array<{ url: string; pid: number; stop(): Promise<void> }> = [];
  const start = async () => {
    const s = useNext
      ? await startNext(await freePort(), { ...appEnv, AUTH_URL: "http://127.0.0.1", LEDGER_BASE_URL: "http://127.0.0.1" })
      : await spawnRouteServer(
          { "/webhooks/magento/[connectionId]/[event]": "app/webhooks/magento/[connectionId]/[event]/route.ts" },
          appEnv,
        );
    servers.push(s);
    return s.url;
  };
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: CLIENTS });
  pool.on("error", () => undefined); // an idle client cut by the teardown's DROP … WITH (FORCE)
  cpuPids = async () => ({
    server: servers.map((s) => s.pid),
    database: (
      await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", [
        APP_SESSION,
      ])
    ).rows.map((r) => r.pid),
  });
  // Production's autovacuum analyzes a table after its first 50 writes and every 10 % growth since;
  // these machines run PostgreSQL with autovacuum off. Without statistics, a session that planned the
  // status-view triggers' queries while sync_runs held a few hundred rows keeps that plan (a walk of
  // every run of the binding per document) as the table grows, and the figures would measure that
  // accident. ANALYZE before each timed phase stands in for autovacuum (it also drops those plans).
  const analyze = () => pool.query("ANALYZE");
  const run = randomUUID().slice(0, 8);
  const wrongKey = mintApiKey();
  const path = `/webhooks/magento/${store.connectionId}/invoice.created`;

  // One keep-alive client per instance; each request mints its own token, as the module does.
  const clients = new Map<string, LoadClient>();
  const client = (base: string) => clients.get(base) ?? clients.set(base, new LoadClient(base, CLIENTS)).get(base)!;
  const post = async (base: string, i: number, apiKey: string, expect: number): Promise<boolean> => {
    const body = JSON.stringify({
      magento_entity_id: i + 1,
      website_id: 1,
      store_id: 1,
      occurred_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      payload: { increment_id: String(i + 1).padStart(9, "0") },
    });
    const headers = {
      authorization: `Bearer ${mintOutboundForApiKey(apiKey, store.connectionId, Math.floor(Date.now() / 1000))}`,
      "content-type": "application/json",
      "idempotency-key": `bench-${run}-${i}`,
    };
    return (await client(base).request("POST", path, headers, body)).status === expect;
  };
  const floorCall = async (base: string): Promise<boolean> => (await client(base).request("GET", path)).status === 405;

  try {
    await pool.query(
      "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.raw_insert (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
    );
    const raw = async (i: number): Promise<boolean> => {
      await pool.query("INSERT INTO bench.raw_insert (id, body) VALUES ($1, $2)", [randomUUID(), JSON.stringify({ magento_entity_id: i })]);
      return true;
    };
    const one = await start();

    // Warm every path (JIT, connection pools, the key cache, Prisma's query plans).
    await load(CLIENTS, WARMUP_SECONDS, () => floorCall(one));
    await load(CLIENTS, WARMUP_SECONDS, (i) => post(one, 1_000_000 + i, store.apiKey, 202));
    await load(CLIENTS, WARMUP_SECONDS, (i) => post(one, i, wrongKey, 401));
    await load(CLIENTS, WARMUP_SECONDS, raw);
    await analyze();
    const before = await db().webhookReceipt.count();

    const baseline = await load(CLIENTS, SECONDS, raw);
    const floor = await load(CLIENTS, SECONDS, () => floorCall(one));
    const rejected = await load(CLIENTS, SECONDS, (i) => post(one, 2_000_000 + i, wrongKey, 401));
    if (STATEMENTS) await pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
    const intakeFrom = new Date();
    const intake = await load(CLIENTS, SECONDS, (i) => post(one, i, store.apiKey, 202));
    // Rows one transaction wrote share its id (xmin): receipts per transaction = deliveries per batch.
    const [{ perWrite }] = (
      await pool.query<{ perWrite: string }>(
        `SELECT round(count(*)::numeric / greatest(count(DISTINCT xmin::text), 1), 1) AS "perWrite" FROM webhook_receipts WHERE created_at >= $1`,
        [intakeFrom],
      )
    ).rows;

    if (STATEMENTS) {
      const top = await pool.query(
        `SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round((total_exec_time / greatest(calls, 1))::numeric, 3) AS ms_per_call,
                toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS statement
           FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_exec_time DESC LIMIT 20`,
      );
      process.stdout.write(`\nPostgreSQL statements of the timed intake (${intake.ok} webhooks), by total time:\n`);
      console.table(top.rows);
    }
    await analyze();
    const two = await start();
    await load(CLIENTS, WARMUP_SECONDS, (i, c) => post(c % 2 ? two : one, 3_000_000 + i, store.apiKey, 202));
    const combined = await load(CLIENTS, SECONDS, (i, c) => post(c % 2 ? two : one, 4_000_000 + i, store.apiKey, 202));

    // Durable means: every 202 left a receipt and a queued run, and every run's event reached the executor.
    const receipts = (await db().webhookReceipt.count()) - before;
    // The warm-up of the second instance stored receipts too: at least every timed 202 left one.
    if (receipts < intake.ok + combined.ok) {
      throw new Error(`${intake.ok + combined.ok} webhooks accepted but ${receipts} receipts stored`);
    }
    const runs = await db().syncRun.count();
    const deadline = Date.now() + 30_000;
    let events = 0;
    for (;;) {
      events = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM inngest_local.events")).rows[0].n);
      if (events >= runs || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (events !== runs) throw new Error(`${runs} runs stored but ${events} events reached the executor`);
    // …and every send was confirmed: nothing is left owed in the outbox for the sweep to send again.
    let owed = 0;
    for (;;) {
      owed = await db().runOutbox.count();
      if (owed === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (owed) throw new Error(`${owed} runs still owed in the outbox after their events reached the executor`);
    for (const [what, l] of [
      ["floor", floor],
      ["rejections", rejected],
      ["intake", intake],
      ["two-instance intake", combined],
    ] as const) {
      if (l.failed > 0) throw new Error(`${what}: ${l.failed} requests got an unexpected answer`);
    }

    const f = rate(floor);
    const p99 = percentile(intake.latencies, 99);
    const server = useNext ? "next start" : "route server (no build; --short)";
    printTable(`webhook intake, ${server}, ${CLIENTS} concurrent clients, ${SECONDS} s${SHORT ? " (--short)" : ""}`, [
      ["floor: the same server's cheapest answer (GET → 405)", `${f.toFixed(1)}/s, p50 / p99 ${lat(floor)}`],
      ["bad-token rejections (401)", `${rate(rejected).toFixed(1)}/s, p50 / p99 ${lat(rejected)}`],
      [
        "accepted and durable webhooks (202 + receipt + run + event)",
        `${rate(intake).toFixed(1)}/s (${intake.ok} in ${intake.seconds.toFixed(1)} s)`,
      ],
      ["intake latency p50 / p99", lat(intake)],
      ["deliveries per intake transaction (mean batch)", perWrite],
      ["two instances, one database: combined intake", `${rate(combined).toFixed(1)}/s, p50 / p99 ${lat(combined)}`],
      ["raw single-row INSERTs, same clients", `${rate(baseline).toFixed(1)}/s, p50 / p99 ${lat(baseline)}`],
      ["intake / floor (goal ≥ 0.5)", `${ratio(rate(intake) / f)} ${rate(intake) / f >= 0.5 ? "met" : "not met"}`],
      ["intake p99 (goal < 100 ms)", `${p99.toFixed(1)} ms ${p99 < 100 ? "met" : "not met"}`],
      ["rejections / floor (goal ≥ 0.8)", `${ratio(rate(rejected) / f)} ${rate(rejected) / f >= 0.8 ? "met" : "not met"}`],
      ["two instances / one", ratio(rate(combined) / rate(intake))],
      ["CPU per answer (ms): app server / its PostgreSQL sessions / load generator + executor / idle: floor", cpuCell(floor)],
      ["… bad-token rejection", cpuCell(rejected)],
      ["… accepted webhook (batched intake)", cpuCell(intake)],
      ["intake / raw insert rate", ratio(rate(intake) / rate(baseline))],
    ]);
  } finally {
    for (const c of clients.values()) c.close();
    for (const s of servers) await s.stop();
    await executor.stop();
    await pool.end();
    await db().$disconnect();
    // The drop ends by force whatever session still lingers on the database; a pool's idle client that
    // learns of it late must not turn a finished run into a crash (seen once in CI's short mode).
    process.on("uncaughtException", (err) => {
      if (/terminating connection due to administrator command/.test(err.message)) return;
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    });
    await dropDatabase(BENCH_DATABASE_URL);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

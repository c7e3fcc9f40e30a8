import { BENCH_DATABASE_URL, numberArg, SHORT } from "./lib/env";
import "@/test/support/env";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { appInngestEnv, signingKeys } from "@/test/support/inngest";
import { spawnRouteServer } from "@/test/support/route-server";
import { mintOutboundForApiKey } from "@/sim/magento/module/jwt";
import { startExecutor } from "@/tools/inngest-local/executor";
import { dropDatabase, prepareDatabase } from "./lib/db";
import { percentile, printTable, ratio } from "./lib/stats";

/**
 * Webhook intake benchmark: sustained accepted-and-durable webhooks per second, with valid Magento
 * JWTs from many concurrent clients over real HTTP to the real intake route (a child process serving
 * app/webhooks/… through test/support/route-server.ts; the embedded executor is the event sink), against
 * the raw single-row INSERT rate of the same PostgreSQL from the same number of concurrent clients.
 *
 *   node --import tsx bench/intake.ts [--short] [--clients 32] [--seconds 10]
 */

const CLIENTS = numberArg("clients", SHORT ? 4 : 32);
const SECONDS = numberArg("seconds", SHORT ? 1 : 10);
const WARMUP_SECONDS = SHORT ? 0.5 : 2;

interface Load {
  ok: number;
  failed: number;
  latencies: number[];
  seconds: number;
}

/** `clients` loops issuing `once()` back to back for `seconds`; only the timed window is recorded. */
async function load(clients: number, seconds: number, once: (i: number) => Promise<boolean>): Promise<Load> {
  let seq = 0;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const good = await once(seq++);
        latencies.push(performance.now() - t0);
        if (good) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, latencies, seconds: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  await prepareDatabase(BENCH_DATABASE_URL);
  const { seedStore } = await import("@/test/support/builders/stores");
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
  const app = await spawnRouteServer(
    { "/webhooks/magento/[connectionId]/[event]": "app/webhooks/magento/[connectionId]/[event]/route.ts" },
    {
      DATABASE_URL: BENCH_DATABASE_URL,
      ...appInngestEnv(executor.url),
      LOG_LEVEL: "warn",
      DATABASE_POOL_MAX: String(Math.min(CLIENTS, 20)),
    },
  );
  const pool = new pg.Pool({ connectionString: BENCH_DATABASE_URL, max: CLIENTS });
  const url = `${app.url}/webhooks/magento/${store.connectionId}/invoice.created`;
  const run = randomUUID().slice(0, 8);

  const webhook = async (i: number): Promise<boolean> => {
    const body = JSON.stringify({
      magento_entity_id: i + 1,
      website_id: 1,
      store_id: 1,
      occurred_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      payload: { increment_id: String(i + 1).padStart(9, "0") },
    });
    const res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${mintOutboundForApiKey(store.apiKey, store.connectionId, Math.floor(Date.now() / 1000))}`,
        "content-type": "application/json",
        "idempotency-key": `bench-${run}-${i}`,
      },
      body,
    });
    await res.arrayBuffer();
    return res.status === 202;
  };

  try {
    await pool.query(
      "CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.raw_insert (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
    );
    const raw = async (i: number): Promise<boolean> => {
      await pool.query("INSERT INTO bench.raw_insert (id, body) VALUES ($1, $2)", [randomUUID(), JSON.stringify({ magento_entity_id: i })]);
      return true;
    };

    // Warm both paths (tsx compile caches, connection pools, Prisma's query plans).
    await load(CLIENTS, WARMUP_SECONDS, (i) => webhook(1_000_000 + i));
    await load(CLIENTS, WARMUP_SECONDS, raw);
    const before = await db().webhookReceipt.count();

    const baseline = await load(CLIENTS, SECONDS, raw);
    const intake = await load(CLIENTS, SECONDS, webhook);

    // Durable means: every 202 left a receipt, a queued run and an event at the executor.
    const receipts = (await db().webhookReceipt.count()) - before;
    const events = Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM inngest_local.events")).rows[0].n);
    const runs = await db().syncRun.count();
    if (receipts !== intake.ok) throw new Error(`${intake.ok} webhooks accepted but ${receipts} receipts stored`);
    if (events !== runs) throw new Error(`${runs} runs stored but ${events} events reached the executor`);
    if (intake.failed > 0) throw new Error(`${intake.failed} webhooks were not accepted`);

    const intakeRate = intake.ok / intake.seconds;
    const rawRate = baseline.ok / baseline.seconds;
    printTable(`webhook intake, ${CLIENTS} concurrent clients, ${SECONDS} s${SHORT ? " (--short)" : ""}`, [
      [
        "accepted and durable webhooks/s (202 + receipt + run + event)",
        `${intakeRate.toFixed(1)}/s (${intake.ok} in ${intake.seconds.toFixed(1)} s)`,
      ],
      ["intake latency p50 / p99", `${percentile(intake.latencies, 50).toFixed(1)} / ${percentile(intake.latencies, 99).toFixed(1)} ms`],
      ["baseline: raw single-row INSERTs/s, same clients", `${rawRate.toFixed(1)}/s`],
      [
        "baseline latency p50 / p99",
        `${percentile(baseline.latencies, 50).toFixed(2)} / ${percentile(baseline.latencies, 99).toFixed(2)} ms`,
      ],
      ["intake / raw insert rate", ratio(intakeRate / rawRate)],
    ]);
  } finally {
    await app.stop();
    await executor.stop();
    await pool.end();
    await db().$disconnect();
    await dropDatabase(BENCH_DATABASE_URL);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

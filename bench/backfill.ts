import { BENCH_DATABASE_URL, numberArg, SHORT } from "./lib/env";
import "@/test/support/env";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { dropDatabase, prepareDatabase } from "./lib/db";
import { printTable, sum } from "./lib/stats";

/**
 * Backfill benchmark: N invoices (each for a new guest, so every run resolves a contact too) queued in
 * Magento's outbox, then drained through Ledger into a Sage emulator limited to L requests per minute.
 * Reports the Sage request rate Ledger achieved as a fraction of L, the 429s the emulator served
 * (its own stats), failed runs (must be 0) and the wall time until every chip is delivered.
 *
 * Ledger's per-business start throttle keeps its production proportion to the budget (30 runs/min for
 * Sage's 100 requests/min) unless --runs-per-minute says otherwise.
 *
 *   node --import tsx bench/backfill.ts [--short] [--n 300] [--limit 600] [--runs-per-minute 180]
 */

const N = numberArg("n", SHORT ? 5 : 300);
const LIMIT = numberArg("limit", 600);
const RUNS_PER_MINUTE = numberArg("runs-per-minute", Math.round((LIMIT * 30) / 100));

process.env.LEDGER_SAGE_RUNS_PER_MINUTE = String(RUNS_PER_MINUTE);

interface EmulatorStats {
  requests: Record<string, number>;
  throttled_429: number;
}

async function main(): Promise<void> {
  await prepareDatabase(BENCH_DATABASE_URL);
  let s: SyncStack | undefined;
  try {
    s = await startSyncStack({ sageRateLimitPerMinute: LIMIT });
    const stack = s;
    await stack.magento("POST", "products", { sku: "BACKFILL", name: "Backfill item", type_id: "simple", price: 15, tax_class_id: 2 });
    await stack.settle();
    for (let i = 0; i < N; i++) {
      await stack.magento("POST", "orders", {
        guest: { email: `backfill${i}@bench.test`, firstname: "Guest", lastname: `No${i}` },
        lines: [{ sku: "BACKFILL", qty: 1 + (i % 3), tax_percent: 20 }],
        payment_method: "checkmo",
        invoice_state: "open",
      });
    }
    const before = (await stack.runs()).length;
    await stack.sageAdmin("POST", "/reset", { stats: true, rate_limits: true });

    const t0 = performance.now();
    await stack.settle({ timeoutMs: Math.max(120_000, (N / RUNS_PER_MINUTE) * 60_000 * 3), expectRuns: before + N });
    const wallSeconds = (performance.now() - t0) / 1000;

    const stats = (await stack.sageAdmin("GET", "/stats")) as EmulatorStats;
    const runs = (await stack.runs()).slice(before);
    const failed = runs.filter((r) => r.status !== "succeeded");
    const sageRequests = sum(Object.values(stats.requests));
    const achievedPerMinute = sageRequests / (wallSeconds / 60);
    printTable(
      `backfill: ${N} invoices, Sage limited to ${LIMIT} requests/min, Ledger throttle ${RUNS_PER_MINUTE} runs/min${SHORT ? " (--short)" : ""}`,
      [
        ["wall time (first webhook → last chip)", `${wallSeconds.toFixed(1)} s`],
        ["Sage requests made", `${sageRequests} (${(sageRequests / N).toFixed(2)} per invoice)`],
        ["achieved Sage request rate", `${achievedPerMinute.toFixed(0)}/min`],
        ["achieved rate / limit L", `${(achievedPerMinute / LIMIT).toFixed(2)}`],
        ["429s served by the emulator", String(stats.throttled_429)],
        ["failed or unfinished runs", String(failed.length)],
      ],
    );
    if (runs.length !== N) throw new Error(`expected ${N} invoice runs, found ${runs.length}`);
    if (failed.length > 0)
      throw new Error(
        `${failed.length} runs did not succeed: ${failed
          .slice(0, 3)
          .map((r) => `${r.status} ${r.errorClass} ${r.errorMessage}`)
          .join("; ")}`,
      );
  } finally {
    await s?.stop();
    const { db } = await import("@/lib/db");
    await db().$disconnect();
    await dropDatabase(BENCH_DATABASE_URL);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

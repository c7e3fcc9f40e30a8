import path from "node:path";

/**
 * Imported first by every Ledger benchmark: points the app at the benchmark's own database
 * (`ledger_<bench>_bench_test`, created and dropped by the benchmark) and supplies obviously-fake
 * secrets, so lib/env.ts validates without touching a developer's real configuration.
 */
const name = path.basename(process.argv[1] ?? "bench").replace(/\.ts$/, "");
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/ledger_${name}_bench_test`;

process.env.DATABASE_URL = BENCH_DATABASE_URL;
process.env.LEDGER_ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.AUTH_SECRET ??= "bench-auth-secret-bench-auth-secret-0123456789";
// /api/inngest answers only signed calls outside `next dev`: benchmarks run the executor signed too.
process.env.INNGEST_SIGNING_KEY ??= `signkey-bench-${"5e".repeat(32)}`;
process.env.INNGEST_EVENT_KEY ??= "bench-event-key-0123456789abcdef";
process.env.LOG_LEVEL ??= "warn";
(process.env as Record<string, string | undefined>).NODE_ENV ??= "test";

export const SHORT = process.argv.includes("--short");

/** `--name value` from argv, as a number. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

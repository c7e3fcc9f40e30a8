import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/**
 * `npm run bench`: every benchmark, one after the other (each in its own process and database), then
 * bench/results/latest.md — their tables, the machine and the commit — printed as well.
 * `npm run bench -- --short` runs each in a tiny mode that only shows it still works (CI); the report
 * is then printed only, so the committed full figures stay put.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const short = process.argv.includes("--short");

interface Bench {
  file: string;
  title: string;
  env?: Record<string, string>;
  /** A database the benchmark leaves behind, dropped once it has run. */
  dropAfter?: string;
}

const EXECUTOR_DB = "postgresql://postgres@127.0.0.1:5432/ledger_executor_bench_test";

async function dropDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!name.endsWith("_bench_test")) throw new Error(`refusing to drop ${name}`);
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

const BENCHES: Bench[] = [
  {
    file: "bench/executor.ts",
    title: "Embedded Inngest executor",
    env: { INNGEST_LOCAL_BENCH_DATABASE_URL: EXECUTOR_DB },
    dropAfter: EXECUTOR_DB,
  },
  { file: "bench/history.ts", title: "Sync history queries" },
  { file: "bench/intake.ts", title: "Webhook intake" },
  { file: "bench/pipeline.ts", title: "Pipeline overhead per event" },
  { file: "bench/backfill.ts", title: "Backfill under a Sage rate limit" },
  {
    file: "bench/reconciliation.ts",
    title: "Reconciliation within the Sage budget",
    dropAfter: "postgresql://postgres@127.0.0.1:5432/ledger_recon_bench_test",
  },
];

interface Outcome {
  bench: Bench;
  ok: boolean;
  seconds: number;
  output: string;
}

function runOne(bench: Bench): Promise<Outcome> {
  const started = performance.now();
  process.stdout.write(`\n▶ ${bench.file}${short ? " --short" : ""}\n`);
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", bench.file, ...(short ? ["--short"] : [])], {
      cwd: root,
      env: { ...process.env, ...bench.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => process.stderr.write(d));
    child.on("close", (code) => resolve({ bench, ok: code === 0, seconds: (performance.now() - started) / 1000, output }));
  });
}

/** What a benchmark printed, as markdown: log lines dropped, a blank line before each table. */
function tables(output: string): string {
  const lines = output
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith('{"level"'));
  return lines
    .map((l, i) => (l.startsWith("|") && i > 0 && !lines[i - 1].startsWith("|") && lines[i - 1].trim() !== "" ? `\n${l}` : l))
    .join("\n");
}

function gitSha(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root }).toString().trim() !== "";
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const load = os.loadavg()[0];
  const outcomes: Outcome[] = [];
  for (const bench of BENCHES) {
    if (!existsSync(path.join(root, bench.file))) {
      process.stdout.write(`\n(skipping ${bench.file}: not present)\n`);
      continue;
    }
    outcomes.push(await runOne(bench));
    if (bench.dropAfter) await dropDatabase(bench.dropAfter);
  }
  const cpus = os.cpus();
  const md = [
    `# Benchmark results${short ? " (--short: smoke run, not figures)" : ""}`,
    "",
    `Date ${new Date().toISOString()} · git ${gitSha()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"} · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · Node ${process.version} · ${os.type()} ${os.release()} · 1-min load average at start ${load.toFixed(2)}`,
    "",
    "Every ratio compares against a baseline measured in the same run on the same machine. Reproduce with `npm run bench` (PostgreSQL on 127.0.0.1:5432; each benchmark creates and drops its own `*_bench_test` database).",
    "",
    "| benchmark | result | time |",
    "|---|---|---|",
    ...outcomes.map((o) => `| ${o.bench.title} (\`${o.bench.file}\`) | ${o.ok ? "ok" : "**FAILED**"} | ${o.seconds.toFixed(0)} s |`),
    ...outcomes.flatMap((o) => ["", `## ${o.bench.title}`, "", o.ok ? tables(o.output) : "FAILED — see the run's output."]),
    "",
  ].join("\n");
  process.stdout.write(`\n${md}\n`);
  if (!short) {
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    writeFileSync(path.join(root, "bench/results/latest.md"), md);
    process.stdout.write("written to bench/results/latest.md\n");
  }
  if (outcomes.some((o) => !o.ok)) process.exit(1);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

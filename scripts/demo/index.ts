/**
 * `npm run demo`: bring Ledger up on this machine with one command and one log stream.
 * Uses DATABASE_URL when set, otherwise a local PostgreSQL database `ledger_demo`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { loadDemoSecrets } from "./secrets";

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = path.join(root, ".data", "demo");
const port = Number(process.env.PORT ?? 3000);
const t0 = Date.now();
const children: ChildProcess[] = [];

function say(msg: string) {
  process.stdout.write(`[demo] ${msg}\n`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

async function ensureDatabase(url: string) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await c.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}

async function waitForHttp(url: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000}s`);
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ledger_demo";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...loadDemoSecrets(dataDir),
    DATABASE_URL: databaseUrl,
    LEDGER_BASE_URL: process.env.LEDGER_BASE_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  say(`database: ${databaseUrl.replace(/\/\/[^@]*@/, "//…@")}`);
  await ensureDatabase(databaseUrl);
  await run(process.execPath, ["scripts/prisma-offline.mjs", "deploy"], env);
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    say("building the app (first run only)…");
    await run("npm", ["run", "build"], { ...env, NODE_ENV: "production" });
  }
  const app = spawn("npx", ["next", "start", "-p", String(port)], { cwd: root, env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
  children.push(app);
  app.on("close", (code) => {
    say(`app exited (${code})`);
    process.exit(code ?? 1);
  });
  await waitForHttp(`http://127.0.0.1:${port}/sign-in`, 60_000);
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)}s — open http://localhost:${port}`);
}

function shutdown() {
  say("stopping…");
  for (const c of children) c.kill("SIGTERM");
  setTimeout(() => process.exit(0), 500).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

main().catch((e) => {
  console.error(`[demo] ${e instanceof Error ? e.message : e}`);
  shutdown();
  process.exitCode = 1;
});

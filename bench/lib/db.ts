import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** A benchmark's own database: dropped, created and migrated before, dropped after. */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function parts(url: string): { name: string; admin: string } {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!name.endsWith("_bench_test")) throw new Error(`refusing to use database "${name}": benchmark databases end in _bench_test`);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname))
    throw new Error(`benchmark database must be local, not ${u.hostname}`);
  u.pathname = "/postgres";
  return { name, admin: u.toString() };
}

async function onAdmin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: parts(url).admin });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function prepareDatabase(url: string): Promise<void> {
  const { name } = parts(url);
  await onAdmin(url, `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  await onAdmin(url, `CREATE DATABASE ${ident(name)}`);
  execFileSync(process.execPath, ["scripts/prisma-offline.mjs", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "ignore",
  });
}

export async function dropDatabase(url: string): Promise<void> {
  await onAdmin(url, `DROP DATABASE IF EXISTS ${ident(parts(url).name)} WITH (FORCE)`);
}

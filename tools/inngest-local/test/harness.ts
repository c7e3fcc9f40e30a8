import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase } from "../db.ts";

/** Processes, database and HTTP helpers shared by the contract suite and the benchmark. */

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");

export function testDatabaseUrl(): string {
  return process.env.INNGEST_LOCAL_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ledger_exec_test";
}

/** Drops the executor's and the fixture's schemas so each suite starts clean. */
export async function resetDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("DROP SCHEMA IF EXISTS inngest_local CASCADE");
    await client.query("DROP SCHEMA IF EXISTS inngest_local_fixture CASCADE");
    await client.query("CREATE SCHEMA inngest_local_fixture");
    await client.query(`CREATE TABLE inngest_local_fixture.calls (
      id bigserial PRIMARY KEY, tag text NOT NULL, run_id text NOT NULL, attempt int NOT NULL,
      info jsonb NOT NULL DEFAULT '{}', at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns `node --import tsx <script>` and resolves once a stdout line matches `ready`. */
export async function spawnTs(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "error", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 30_000);
    const check = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout?.on("data", check);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    async kill(signal: NodeJS.Signals = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

export type Mode = "dev" | "cloud";

export const SIGNING_KEY = `signkey-test-${"3f".repeat(32)}`;
export const EVENT_KEY = "local-test-event-key";

/** The env that points an Inngest app at the executor in the given mode. */
export function appModeEnv(mode: Mode, executorUrl: string): Record<string, string> {
  return mode === "dev"
    ? { INNGEST_DEV: executorUrl, INNGEST_SIGNING_KEY: "", INNGEST_EVENT_KEY: "" }
    : { INNGEST_DEV: "0", INNGEST_BASE_URL: executorUrl, INNGEST_SIGNING_KEY: SIGNING_KEY, INNGEST_EVENT_KEY: EVENT_KEY };
}

export function startFixtureApp(port: number, mode: Mode, executorUrl: string, extra: Record<string, string> = {}): Promise<Child> {
  return spawnTs(
    path.join(here, "fixture-app.ts"),
    [],
    { FIXTURE_PORT: String(port), FIXTURE_DATABASE_URL: testDatabaseUrl(), ...appModeEnv(mode, executorUrl), ...extra },
    /fixture-app ready/,
  );
}

/** A client of the executor's HTTP API, authenticated as the SDK would be in cloud mode. */
export class ExecutorClient {
  constructor(
    readonly url: string,
    readonly mode: Mode,
  ) {}

  private headers(): Record<string, string> {
    return this.mode === "cloud" ? { authorization: `Bearer ${SIGNING_KEY}` } : {};
  }

  async send(events: Array<{ name: string; data?: Record<string, unknown>; id?: string }>): Promise<string[]> {
    const key = this.mode === "cloud" ? EVENT_KEY : "NO_EVENT_KEY_SET";
    const res = await fetch(`${this.url}/e/${key}`, {
      method: "POST",
      body: JSON.stringify(events),
      headers: { "content-type": "application/json" },
    });
    const body = (await res.json()) as { ids: string[]; status: number };
    if (body.status !== 200) throw new Error(`send failed: ${JSON.stringify(body)}`);
    return body.ids;
  }

  async get<T>(pathname: string): Promise<T> {
    const res = await fetch(`${this.url}${pathname}`, { headers: this.headers() });
    if (!res.ok) throw new Error(`GET ${pathname}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: T }).data;
  }

  async post<T>(pathname: string, body: unknown): Promise<{ status: number; data: T }> {
    const res = await fetch(`${this.url}${pathname}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { ...this.headers(), "content-type": "application/json" },
    });
    return { status: res.status, data: ((await res.json()) as { data: T }).data };
  }

  /** Waits until the event's runs all reached a terminal status (Completed, Failed, Cancelled). */
  async runsOf(eventId: string, count = 1, timeoutMs = 30_000): Promise<RunView[]> {
    return waitFor(
      async () => {
        const runs = await this.get<RunView[]>(`/v1/events/${eventId}/runs`);
        return runs.length >= count && runs.every((r) => TERMINAL.has(r.status)) ? runs : null;
      },
      timeoutMs,
      `runs of event ${eventId}`,
    );
  }

  async run(runId: string): Promise<
    RunView & {
      steps: Array<{ id: string; name: string | null; op: string; result: unknown }>;
      pending: Array<{ id: string; op: string; name: string | null }>;
    }
  > {
    return this.get(`/v1/runs/${runId}`);
  }
}

export interface RunView {
  run_id: string;
  function_id: string;
  status: string;
  output: unknown;
  error: unknown;
  run_started_at: string | null;
}

const TERMINAL = new Set(["Completed", "Failed", "Cancelled"]);

export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CallRow {
  tag: string;
  run_id: string;
  attempt: number;
  info: Record<string, unknown>;
  at: Date;
}

export async function calls(pool: pg.Pool, tag: string, runId?: string): Promise<CallRow[]> {
  const res = await pool.query<CallRow>(
    "SELECT tag, run_id, attempt, info, at FROM inngest_local_fixture.calls WHERE tag = $1 AND ($2::text IS NULL OR run_id = $2) ORDER BY id",
    [tag, runId ?? null],
  );
  return res.rows;
}

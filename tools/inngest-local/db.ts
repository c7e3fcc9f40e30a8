import pg from "pg";

/** A transaction (or pool) client; every store function takes one so work composes into one tx. */
export type Db = pg.PoolClient;

/** Connections show up under this name in pg_stat_activity (operators, and the reliability tests, find them by it). */
export const APPLICATION_NAME = "inngest-local";

/**
 * The pool survives PostgreSQL cutting its connections (a restart, a failover, `pg_terminate_backend`):
 * every client gets an error listener for its whole life — pg-pool only listens while a client is
 * idle, and a checked-out client that errors with nobody listening takes the process down — and a
 * client that saw an error is discarded on release instead of going back to the pool.
 */
export function createPool(connectionString: string, max = 10, onConnectionError: (err: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: APPLICATION_NAME });
  pool.on("error", (err) => onConnectionError(err)); // idle clients: the pool drops them itself
  pool.on("connect", (client) => {
    client.on("error", (err) => {
      (client as { broken?: boolean }).broken = true;
      onConnectionError(err);
    });
  });
  return pool;
}

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

/**
 * The connection went away (terminated backend, server restart or failover, network reset) rather
 * than the statement failing: worth reconnecting and trying again.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  if (/^(08|57P0)/.test(code) || ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
  const message = typeof e?.message === "string" ? e.message : "";
  return /Connection terminated|connection error|Client was closed|not queryable|terminating connection/i.test(message);
}

/** Backoff between reconnect attempts: 100 ms doubling to 3.2 s, ~12 s over 8 tries. */
const RECONNECT_TRIES = 8;
const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** attempt, 3_200);

function release(client: pg.PoolClient, err?: unknown): void {
  const broken = (client as { broken?: boolean }).broken || (err !== undefined && isConnectionError(err));
  client.release(broken ? (err instanceof Error ? err : new Error("connection broken")) : undefined);
}

/**
 * Runs `fn` in a transaction. Deadlocks between runs touching each other (a child finishing while
 * its parent is being cancelled) are resolved by Postgres aborting one side; that side retries. A
 * lost connection is retried with backoff on a fresh one: every transaction here is safe to run
 * again — one whose COMMIT was lost finds its queue item already taken (lease tokens) and does nothing.
 */
export async function withTx<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  for (let attempt = 0, lost = 0; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      if (isConnectionError(err) && lost < RECONNECT_TRIES) {
        await new Promise((r) => setTimeout(r, reconnectDelay(lost++)));
        continue;
      }
      throw err;
    }
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      release(client);
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      release(client, err);
      const code = (err as { code?: string }).code;
      if (attempt < 4 && code !== undefined && RETRYABLE.has(code)) continue;
      if (isConnectionError(err) && lost < RECONNECT_TRIES) {
        await new Promise((r) => setTimeout(r, reconnectDelay(lost++)));
        continue;
      }
      throw err;
    }
  }
}

/** Creates the database if missing (tests and the demo use a dedicated database). */
export async function ensureDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) return;
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created concurrently
      });
    }
  } finally {
    await admin.end();
  }
}

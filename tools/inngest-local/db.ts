import pg from "pg";

/** A transaction (or pool) client; every store function takes one so work composes into one tx. */
export type Db = pg.PoolClient;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client can error when Postgres restarts; the pool replaces it, so only log-worthy.
  pool.on("error", () => undefined);
  return pool;
}

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

/**
 * Runs `fn` in a transaction. Deadlocks between runs touching each other (a child finishing while
 * its parent is being cancelled) are resolved by Postgres aborting one side; that side retries.
 */
export async function withTx<T>(pool: pg.Pool, fn: (db: Db) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (attempt < 4 && code !== undefined && RETRYABLE.has(code)) continue;
      throw err;
    } finally {
      client.release();
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

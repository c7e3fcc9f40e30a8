import pg from "pg";

/** Everything the emulator persists lives in this schema; the DDL below is idempotent. */
export const SCHEMA = "sage_emu";

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.records (
  business_id text NOT NULL,
  kind text NOT NULL,
  id text NOT NULL,
  seq bigserial,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (business_id, kind, id)
);
CREATE INDEX IF NOT EXISTS records_id_idx ON ${SCHEMA}.records (id);
CREATE INDEX IF NOT EXISTS records_list_idx ON ${SCHEMA}.records (business_id, kind, seq);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.counters (
  business_id text NOT NULL,
  name text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (business_id, name)
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.idempotency (
  business_id text NOT NULL,
  idempotency_id text NOT NULL,
  kind text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (business_id, idempotency_id)
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.oauth_tokens (
  token_hash text PRIMARY KEY,
  kind text NOT NULL,
  client_id text NOT NULL,
  lead_business_id text NOT NULL,
  scope text NOT NULL,
  redirect_uri text,
  family_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS oauth_tokens_family_idx ON ${SCHEMA}.oauth_tokens (family_id);
`;

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

/**
 * A cut connection (server restart, pg_terminate_backend) must not crash the emulator: idle clients
 * that error are dropped by the pool, checked-out ones get a listener of their own (pg-pool only
 * listens while a client is idle) and are discarded on release. The request that was using it fails
 * (Ledger retries a 5xx); the next one reconnects.
 */
export function createPool(databaseUrl: string): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => {
      (client as { broken?: boolean }).broken = true;
    });
  });
  return pool;
}

/** Runs the DDL under an advisory lock so two emulators starting together don't race on CREATE. */
export async function migrate(db: Db): Promise<void> {
  await withTx(db, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('sage_emu_ddl'))");
    await tx.query(DDL);
  });
}

export async function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const tx = await db.connect();
  try {
    await tx.query("BEGIN");
    const out = await fn(tx);
    await tx.query("COMMIT");
    return out;
  } catch (err) {
    await tx.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    tx.release((tx as { broken?: boolean }).broken ? new Error("connection lost") : undefined);
  }
}

/** Creates the database named in the URL if it does not exist (tests and first runs). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
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

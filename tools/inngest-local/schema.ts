import type pg from "pg";

/**
 * The `inngest_local` schema. Migrations are applied in order under an advisory lock and recorded
 * in `inngest_local.meta`, so a newer executor upgrades an older database in place.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE inngest_local.apps (
    app_id text PRIMARY KEY,
    url text NOT NULL,
    sdk text,
    framework text,
    synced_at timestamptz NOT NULL DEFAULT now(),
    refused jsonb NOT NULL DEFAULT '[]'
  );
  CREATE TABLE inngest_local.functions (
    id text PRIMARY KEY,
    app_id text NOT NULL,
    name text,
    url text NOT NULL,
    config jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE inngest_local.events (
    id text PRIMARY KEY,
    name text NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX events_received_idx ON inngest_local.events (received_at);
  CREATE TABLE inngest_local.runs (
    id text PRIMARY KEY,
    fn_id text NOT NULL,
    event_id text NOT NULL,
    events jsonb NOT NULL,
    status text NOT NULL,
    ckeys jsonb NOT NULL DEFAULT '[]',
    throttle_key text,
    output jsonb,
    error jsonb,
    disable_immediate boolean NOT NULL DEFAULT false,
    req_version int,
    step_seq int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    ended_at timestamptz
  );
  CREATE INDEX runs_event_idx ON inngest_local.runs (event_id);
  CREATE INDEX runs_fn_status_idx ON inngest_local.runs (fn_id, status);
  CREATE INDEX runs_created_idx ON inngest_local.runs (created_at DESC);
  CREATE TABLE inngest_local.steps (
    run_id text NOT NULL,
    id text NOT NULL,
    seq int NOT NULL,
    name text,
    op text NOT NULL,
    result jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, id)
  );
  CREATE TABLE inngest_local.pending (
    run_id text NOT NULL,
    id text NOT NULL,
    op text NOT NULL,
    name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, id)
  );
  CREATE TABLE inngest_local.waits (
    run_id text NOT NULL,
    step_id text NOT NULL,
    kind text NOT NULL,
    event text NOT NULL,
    expr text,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, step_id)
  );
  CREATE INDEX waits_event_idx ON inngest_local.waits (event);
  CREATE TABLE inngest_local.queue (
    id bigserial PRIMARY KEY,
    run_id text NOT NULL,
    kind text NOT NULL,
    step_id text NOT NULL,
    attempt int NOT NULL DEFAULT 0,
    net_failures int NOT NULL DEFAULT 0,
    ckeys jsonb NOT NULL DEFAULT '[]',
    run_at timestamptz NOT NULL DEFAULT now(),
    leased_until timestamptz,
    lease_token text
  );
  CREATE INDEX queue_due_idx ON inngest_local.queue (run_at, id);
  CREATE UNIQUE INDEX queue_one_item_per_step ON inngest_local.queue (run_id, kind, step_id);
  CREATE TABLE inngest_local.crons (
    fn_id text NOT NULL,
    cron text NOT NULL,
    next_at timestamptz NOT NULL,
    PRIMARY KEY (fn_id, cron)
  );
  CREATE TABLE inngest_local.idempotency (
    fn_id text NOT NULL,
    key text NOT NULL,
    run_id text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (fn_id, key)
  );
  CREATE TABLE inngest_local.throttle (
    fn_id text NOT NULL,
    key text NOT NULL,
    tat timestamptz NOT NULL,
    PRIMARY KEY (fn_id, key)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Two executors starting together must not both run the DDL.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('inngest_local.migrate'))");
    await client.query("CREATE SCHEMA IF NOT EXISTS inngest_local");
    await client.query("CREATE TABLE IF NOT EXISTS inngest_local.meta (key text PRIMARY KEY, value text NOT NULL)");
    const row = await client.query<{ value: string }>("SELECT value FROM inngest_local.meta WHERE key = 'schema_version'");
    const current = row.rows[0] ? Number(row.rows[0].value) : 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`inngest_local schema version ${current} is newer than this executor (${MIGRATIONS.length})`);
    }
    for (let v = current; v < MIGRATIONS.length; v++) await client.query(MIGRATIONS[v]);
    await client.query(
      `INSERT INTO inngest_local.meta (key, value) VALUES ('schema_version', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [String(MIGRATIONS.length)],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

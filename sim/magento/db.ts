import pg from "pg";

/**
 * PostgreSQL access for the simulator. Everything lives in schema `magento_sim` and every row is
 * keyed by `store_key`, so two simulated stores can share one database without clashing.
 * Amounts are `double precision`: the module reads Magento's decimals into PHP floats anyway.
 */

export type Pool = pg.Pool;
export type Queryable = pg.Pool | pg.PoolClient;

export const SCHEMA = "magento_sim";

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.core_config_data (
  store_key text NOT NULL, path text NOT NULL, value text,
  PRIMARY KEY (store_key, path));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.sequence_value (
  store_key text NOT NULL, name text NOT NULL, value bigint NOT NULL,
  PRIMARY KEY (store_key, name));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.cache (
  store_key text NOT NULL, cache_key text NOT NULL, value text NOT NULL, expires_at bigint NOT NULL,
  PRIMARY KEY (store_key, cache_key));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.customer_entity (
  store_key text NOT NULL, entity_id bigint NOT NULL,
  email text NOT NULL, firstname text, lastname text, website_id int NOT NULL, group_id int,
  addresses jsonb NOT NULL DEFAULT '[]', default_billing bigint, default_shipping bigint,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (store_key, entity_id));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.catalog_product_entity (
  store_key text NOT NULL, entity_id bigint NOT NULL,
  sku text NOT NULL, name text NOT NULL, type_id text NOT NULL,
  price double precision, special_price double precision, cost double precision, weight double precision,
  tax_class_id int NOT NULL DEFAULT 2, has_stock_item boolean NOT NULL DEFAULT true,
  stock_qty double precision, manage_stock boolean NOT NULL DEFAULT true,
  website_ids int[] NOT NULL DEFAULT '{1}', child_id bigint,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (store_key, entity_id));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.sales_order (
  store_key text NOT NULL, entity_id bigint NOT NULL, increment_id text NOT NULL,
  store_id int NOT NULL, customer_id bigint, customer_email text NOT NULL,
  customer_firstname text, customer_lastname text,
  order_currency_code text NOT NULL, base_currency_code text NOT NULL,
  base_to_order_rate double precision NOT NULL,
  billing_address jsonb, shipping_address jsonb, payment jsonb,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (store_key, entity_id));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.sales_invoice (
  store_key text NOT NULL, entity_id bigint NOT NULL, increment_id text NOT NULL,
  order_id bigint NOT NULL, store_id int NOT NULL, state int NOT NULL,
  order_currency_code text, base_currency_code text, base_to_order_rate double precision,
  items jsonb NOT NULL, subtotal double precision NOT NULL, tax_amount double precision NOT NULL,
  shipping_amount double precision NOT NULL, shipping_tax_amount double precision NOT NULL,
  discount_amount double precision NOT NULL, grand_total double precision NOT NULL,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (store_key, entity_id));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.sales_creditmemo (
  store_key text NOT NULL, entity_id bigint NOT NULL, increment_id text NOT NULL,
  order_id bigint NOT NULL, invoice_id bigint, store_id int NOT NULL,
  order_currency_code text, base_currency_code text, base_to_order_rate double precision,
  items jsonb NOT NULL, subtotal double precision NOT NULL, tax_amount double precision NOT NULL,
  shipping_amount double precision NOT NULL, shipping_tax_amount double precision NOT NULL,
  discount_amount double precision NOT NULL, adjustment_positive double precision NOT NULL,
  adjustment_negative double precision NOT NULL, grand_total double precision NOT NULL,
  refund_online boolean NOT NULL, comments jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (store_key, entity_id));
CREATE TABLE IF NOT EXISTS ${SCHEMA}.byte8_event_outbox (
  entity_id bigserial PRIMARY KEY, store_key text NOT NULL,
  idempotency_key varchar(128) NOT NULL, event_name varchar(64) NOT NULL, payload text NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0,
  last_status_code int, last_attempt_at timestamptz, next_attempt_at timestamptz, last_error text,
  created_at timestamptz NOT NULL,
  UNIQUE (store_key, idempotency_key));
CREATE INDEX IF NOT EXISTS byte8_event_outbox_due ON ${SCHEMA}.byte8_event_outbox (store_key, status, next_attempt_at);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.byte8_entity_sync_state (
  entity_id bigserial PRIMARY KEY, store_key text NOT NULL,
  entity_type varchar(32) NOT NULL, magento_id bigint NOT NULL, provider varchar(32) NOT NULL,
  sync_status varchar(16) NOT NULL DEFAULT 'pending',
  provider_entity_id varchar(64), provider_reference varchar(64), skip_reason varchar(64), error_code varchar(64),
  last_sync_at timestamptz,
  UNIQUE (store_key, entity_type, magento_id, provider));
`;

export async function openPool(databaseUrl: string): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  // A cut connection (server restart, pg_terminate_backend) must not crash the simulator: the pool
  // drops idle clients that error, and checked-out clients get a listener of their own (pg-pool only
  // listens while a client is idle). The request that was using it fails; the next one reconnects.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => {
      (client as { broken?: boolean }).broken = true;
    });
  });
  // Two processes may start at once against one database; serialise the DDL.
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('magento_sim_ddl'))");
    await client.query(DDL);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('magento_sim_ddl'))").catch(() => undefined);
    client.release();
  }
  return pool;
}

/** Creates the database named in `databaseUrl` when missing (tests and first demo run). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) return;
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

export async function withTransaction<T>(pool: Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    // A client whose connection broke is discarded, never handed to the next request.
    client.release((client as { broken?: boolean }).broken ? new Error("connection lost") : undefined);
  }
}

/** Next per-store id for `name` (entity ids and increment ids are both per store, like Magento). */
export async function nextId(db: Queryable, storeKey: string, name: string): Promise<number> {
  const res = await db.query<{ value: string }>(
    `INSERT INTO ${SCHEMA}.sequence_value (store_key, name, value) VALUES ($1, $2, 1)
     ON CONFLICT (store_key, name) DO UPDATE SET value = ${SCHEMA}.sequence_value.value + 1
     RETURNING value`,
    [storeKey, name],
  );
  return Number(res.rows[0].value);
}

const STORE_TABLES = [
  "core_config_data",
  "sequence_value",
  "cache",
  "customer_entity",
  "catalog_product_entity",
  "sales_order",
  "sales_invoice",
  "sales_creditmemo",
  "byte8_event_outbox",
  "byte8_entity_sync_state",
];

/** Wipes one simulated store (tests and the demo's "start over"). */
export async function wipeStore(pool: Pool, storeKey: string): Promise<void> {
  await withTransaction(pool, async (c) => {
    for (const t of STORE_TABLES) await c.query(`DELETE FROM ${SCHEMA}.${t} WHERE store_key = $1`, [storeKey]);
  });
}

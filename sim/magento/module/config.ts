import { SCHEMA, type Queryable } from "../db.ts";
import type { SimContext } from "../context.ts";

/**
 * Magento `core_config_data` for the Byte8 paths (wire-protocol §1), plus the module's cache.
 * The api_key is stored as-is: Magento's encryptor is a storage detail that never reaches the wire.
 */

export const PROVIDER_KEY = "sage_accounting";

export const PATHS = {
  clientTenantId: "byte8/client/tenant_id",
  clientApiKey: "byte8/client/api_key",
  clientBaseUrl: "byte8/client/base_url",
  sageTenantId: "byte8/sage_accounting/tenant_id",
  sageApiKey: "byte8/sage_accounting/api_key",
  pairingCodeHash: "byte8/sage_accounting/pairing_code_hash",
  pairingCodeIssuedAt: "byte8/sage_accounting/pairing_code_issued_at",
} as const;

export const DEFAULT_BASE_URL = "https://ledger.byte8.io";

export async function readConfig(db: Queryable, storeKey: string): Promise<Map<string, string>> {
  const res = await db.query<{ path: string; value: string | null }>(
    `SELECT path, value FROM ${SCHEMA}.core_config_data WHERE store_key = $1`,
    [storeKey],
  );
  return new Map(res.rows.filter((r) => r.value !== null).map((r) => [r.path, r.value as string]));
}

export async function saveConfig(db: Queryable, storeKey: string, path: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEMA}.core_config_data (store_key, path, value) VALUES ($1, $2, $3)
     ON CONFLICT (store_key, path) DO UPDATE SET value = EXCLUDED.value`,
    [storeKey, path, value],
  );
}

export async function deleteConfig(db: Queryable, storeKey: string, paths: string[]): Promise<void> {
  await db.query(`DELETE FROM ${SCHEMA}.core_config_data WHERE store_key = $1 AND path = ANY($2)`, [storeKey, paths]);
}

export interface ClientConfig {
  tenantId: string | null;
  apiKey: string | null;
  /** Without trailing slash; the module's default when unset. */
  baseUrl: string;
  sageTenantId: string | null;
  sageApiKey: string | null;
  pairingCodeHash: string | null;
  pairingCodeIssuedAt: number | null;
  /** `ClientConfig::isConnected` — gates signer, verifier and drain. */
  clientConnected: boolean;
  /** `SageConfig::isConnected` — gates the observers and the disconnect call. */
  providerConnected: boolean;
}

const nonEmpty = (v: string | undefined): string | null => (v === undefined || v === "" ? null : v);

export async function loadClientConfig(ctx: SimContext, db: Queryable = ctx.pool): Promise<ClientConfig> {
  const m = await readConfig(db, ctx.storeKey);
  const tenantId = nonEmpty(m.get(PATHS.clientTenantId));
  const apiKey = nonEmpty(m.get(PATHS.clientApiKey));
  const sageTenantId = nonEmpty(m.get(PATHS.sageTenantId));
  const sageApiKey = nonEmpty(m.get(PATHS.sageApiKey));
  const issued = m.get(PATHS.pairingCodeIssuedAt);
  return {
    tenantId,
    apiKey,
    baseUrl: (m.get(PATHS.clientBaseUrl) ?? DEFAULT_BASE_URL).replace(/\/+$/, ""),
    sageTenantId,
    sageApiKey,
    pairingCodeHash: nonEmpty(m.get(PATHS.pairingCodeHash)),
    pairingCodeIssuedAt: issued === undefined || issued === "" ? null : Number(issued),
    clientConnected: tenantId !== null && apiKey !== null,
    providerConnected: sageTenantId !== null && sageApiKey !== null,
  };
}

/** Atomic "insert unless a live entry exists" — the jti replay cache of the Verifier. */
export async function cacheClaim(ctx: SimContext, cacheKey: string, ttlSeconds: number, nowSeconds: number): Promise<boolean> {
  const res = await ctx.pool.query(
    `INSERT INTO ${SCHEMA}.cache (store_key, cache_key, value, expires_at) VALUES ($1, $2, '1', $3)
     ON CONFLICT (store_key, cache_key) DO UPDATE SET value = '1', expires_at = EXCLUDED.expires_at
       WHERE ${SCHEMA}.cache.expires_at <= $4
     RETURNING cache_key`,
    [ctx.storeKey, cacheKey, nowSeconds + ttlSeconds, nowSeconds],
  );
  return res.rowCount === 1;
}

export async function cacheLoad(ctx: SimContext, cacheKey: string): Promise<string | null> {
  const res = await ctx.pool.query<{ value: string }>(
    `SELECT value FROM ${SCHEMA}.cache WHERE store_key = $1 AND cache_key = $2 AND expires_at > $3`,
    [ctx.storeKey, cacheKey, ctx.nowSeconds()],
  );
  return res.rows[0]?.value ?? null;
}

export async function cacheSave(ctx: SimContext, cacheKey: string, value: string, ttlSeconds: number): Promise<void> {
  await ctx.pool.query(
    `INSERT INTO ${SCHEMA}.cache (store_key, cache_key, value, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (store_key, cache_key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
    [ctx.storeKey, cacheKey, value, ctx.nowSeconds() + ttlSeconds],
  );
}

/** `cache->clean([HEALTH_CACHE_TAG])`: the only tagged entries are the health tile's. */
export async function cacheCleanHealth(ctx: SimContext, db: Queryable = ctx.pool): Promise<void> {
  await db.query(`DELETE FROM ${SCHEMA}.cache WHERE store_key = $1 AND cache_key LIKE 'byte8_tile_health_%'`, [ctx.storeKey]);
}

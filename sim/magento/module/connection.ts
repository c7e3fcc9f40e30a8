import { randomBytes, timingSafeEqual } from "node:crypto";
import { withTransaction } from "../db.ts";
import type { SimContext } from "../context.ts";
import { cacheCleanHealth, cacheLoad, cacheSave, deleteConfig, loadClientConfig, PATHS, saveConfig } from "./config.ts";
import { getSigned, postSigned } from "./http-client.ts";
import { disconnectIdempotencyKey, healthCacheKey, sha256Hex } from "./keys.ts";

/** Pairing (wire-protocol §7), disconnect (§7.3) and the health fetch behind the tile (§4.4). */

export const PAIRING_CODE_TTL_SECONDS = 1800;
const HEALTH_CACHE_TTL_SECONDS = 30;

/** Admin "Generate pairing code": 16 CSPRNG bytes → 32 lowercase hex; only hash + issued_at are kept. */
export async function generatePairingCode(ctx: SimContext): Promise<{ code: string; issuedAt: number }> {
  const code = randomBytes(16).toString("hex");
  const issuedAt = ctx.nowSeconds();
  await withTransaction(ctx.pool, async (c) => {
    await saveConfig(c, ctx.storeKey, PATHS.pairingCodeHash, sha256Hex(code));
    await saveConfig(c, ctx.storeKey, PATHS.pairingCodeIssuedAt, String(issuedAt));
  });
  return { code, issuedAt };
}

export interface PairInput {
  pairingCode: string;
  tenantId: string;
  byte8ApiKey: string;
  ledgerBaseUrl: string;
}

export type PairResult = { ok: true } | { ok: false; status: 400 | 401; message: string };

/** `Pair::pair` after the framework resolved the four string parameters. */
export async function pair(ctx: SimContext, input: PairInput): Promise<PairResult> {
  const pairingCode = input.pairingCode.trim();
  const tenantId = input.tenantId.trim();
  const apiKey = input.byte8ApiKey.trim();
  const baseUrl = input.ledgerBaseUrl.trim().replace(/\/+$/, "");
  if (pairingCode === "" || tenantId === "" || apiKey === "" || baseUrl === "") {
    return { ok: false, status: 400, message: "pairing_code, tenant_id, byte8_api_key and ledger_base_url are all required." };
  }
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    return { ok: false, status: 400, message: "ledger_base_url must be an absolute http(s) URL." };
  }
  const cfg = await loadClientConfig(ctx);
  const unauthorized: PairResult = { ok: false, status: 401, message: "Invalid or expired pairing code." };
  if (cfg.pairingCodeHash === null || cfg.pairingCodeIssuedAt === null) {
    ctx.log.warn("/setup/pair rejected — no pairing code is pending generation");
    return unauthorized;
  }
  if (ctx.nowSeconds() - cfg.pairingCodeIssuedAt > PAIRING_CODE_TTL_SECONDS) {
    ctx.log.warn("/setup/pair rejected — pairing code expired (age exceeds 30min TTL)");
    return unauthorized;
  }
  const stored = Buffer.from(cfg.pairingCodeHash);
  const given = Buffer.from(sha256Hex(pairingCode));
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) {
    ctx.log.warn("/setup/pair rejected — pairing code mismatch");
    return unauthorized;
  }
  await withTransaction(ctx.pool, async (c) => {
    await saveConfig(c, ctx.storeKey, PATHS.sageTenantId, tenantId);
    await saveConfig(c, ctx.storeKey, PATHS.sageApiKey, apiKey);
    await saveConfig(c, ctx.storeKey, PATHS.clientTenantId, tenantId);
    await saveConfig(c, ctx.storeKey, PATHS.clientApiKey, apiKey);
    await saveConfig(c, ctx.storeKey, PATHS.clientBaseUrl, baseUrl);
    await deleteConfig(c, ctx.storeKey, [PATHS.pairingCodeHash, PATHS.pairingCodeIssuedAt]);
    await cacheCleanHealth(ctx, c);
  });
  ctx.log.info({ tenantId }, "paired successfully — outbound + inbound keys live");
  return { ok: true };
}

/**
 * Admin "Disconnect": tell the ledger (signed with the still-present key; failures swallowed), then
 * clear provider and client credentials and the pairing paths. base_url is kept.
 */
export async function disconnect(ctx: SimContext): Promise<{ acknowledged: boolean; called: boolean }> {
  const cfg = await loadClientConfig(ctx);
  let acknowledged = false;
  let called = false;
  if (cfg.providerConnected) {
    if (cfg.clientConnected && cfg.tenantId) {
      called = true;
      const outcome = await postSigned(ctx, cfg, `${cfg.baseUrl}/v1/tenant/disconnect`, "{}", disconnectIdempotencyKey(cfg.tenantId));
      acknowledged = outcome.kind === "ok";
      if (!acknowledged) ctx.log.warn({ outcome: outcome.kind }, "disconnect call to ledger failed (continuing anyway)");
    } else {
      acknowledged = true; // ByteClient::disconnect returns true when the client is not connected
    }
  }
  await withTransaction(ctx.pool, async (c) => {
    await deleteConfig(c, ctx.storeKey, [
      PATHS.sageTenantId,
      PATHS.sageApiKey,
      PATHS.pairingCodeHash,
      PATHS.pairingCodeIssuedAt,
      PATHS.clientTenantId,
      PATHS.clientApiKey,
    ]);
    await cacheCleanHealth(ctx, c);
  });
  return { acknowledged, called };
}

export type HealthBody = Record<string, unknown>;

/** `ByteClient::fetchHealth`: [] when not connected or on any failure; 2xx bodies cached 30 s. */
export async function fetchHealth(ctx: SimContext): Promise<HealthBody> {
  const cfg = await loadClientConfig(ctx);
  if (!cfg.tenantId || !cfg.clientConnected) return {};
  const key = healthCacheKey(cfg.tenantId);
  const cached = await cacheLoad(ctx, key);
  if (cached) {
    const decoded = safeDecode(cached);
    if (decoded) return decoded;
  }
  const outcome = await getSigned(ctx, cfg, `${cfg.baseUrl}/v1/tile/health`);
  if (outcome.kind !== "ok") {
    ctx.log.warn({ outcome: outcome.kind }, "fetchHealth failed");
    return {};
  }
  const decoded = safeDecode(outcome.body) ?? {};
  await cacheSave(ctx, key, JSON.stringify(decoded), HEALTH_CACHE_TTL_SECONDS);
  return decoded;
}

function safeDecode(body: string): HealthBody | null {
  if (body === "") return null;
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === "object" ? (v as HealthBody) : null;
  } catch {
    return null;
  }
}

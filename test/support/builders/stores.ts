import { createHmac, hkdfSync, randomUUID } from "node:crypto";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { ensureInitialPolicy } from "@/lib/policy/store";
import type { BindingStatus, Role } from "@/src/generated/prisma/enums";
import { mintApiKey } from "@/lib/magento/keys";

/**
 * Test-only: workspaces with a paired Magento install in the database, and Magento → Ledger tokens
 * minted independently of lib/magento/jwt.ts (plain node:crypto, any header or claim), so a bug in
 * our verifier cannot be mirrored by the code that tests it.
 */

export interface SeededStore {
  tenantId: string;
  userId: string;
  connectionId: string;
  apiKey: string;
  bindingIds: string[];
}

export interface SeedOptions {
  bindings?: { status: BindingStatus; provider?: string; region?: string }[];
  role?: Role;
  baseUrl?: string;
  connectionStatus?: "pending" | "active" | "token_revoked";
}

/** A workspace with one member and no store yet. */
export async function seedWorkspace(role: Role = "owner"): Promise<{ tenantId: string; userId: string }> {
  const suffix = randomUUID().slice(0, 8);
  const tenant = await db().tenant.create({ data: { name: `Shop ${suffix}` } });
  const user = await db().user.create({ data: { email: `${role}-${suffix}@example.test`, name: "Owner" } });
  await db().membership.create({ data: { tenantId: tenant.id, userId: user.id, role } });
  return { tenantId: tenant.id, userId: user.id };
}

export async function seedStore(opts: SeedOptions = {}): Promise<SeededStore> {
  const suffix = randomUUID().slice(0, 8);
  const ws = await seedWorkspace(opts.role);
  const tenant = { id: ws.tenantId };
  const user = { id: ws.userId };
  const apiKey = mintApiKey();
  const connectionId = randomUUID();
  await db().magentoConnection.create({
    data: {
      id: connectionId,
      tenantId: tenant.id,
      baseUrl: opts.baseUrl ?? `https://shop-${suffix}.example.test`,
      status: opts.connectionStatus ?? "active",
      pairedAt: new Date(),
      encryptedApiKey: appVault().encrypt(apiKey, secretContext.magentoApiKey(connectionId)),
    },
  });
  const bindingIds: string[] = [];
  for (const b of opts.bindings ?? [{ status: "active" }]) {
    const sage = b.region
      ? await db().sageConnection.create({
          data: { tenantId: tenant.id, businessId: `biz-${suffix}`, businessName: "Biz Ltd", region: b.region },
        })
      : null;
    const binding = await db().binding.create({
      data: {
        tenantId: tenant.id,
        magentoConnectionId: connectionId,
        provider: b.provider ?? "sage_accounting",
        status: b.status,
        sageConnectionId: sage?.id ?? null,
      },
    });
    await db().$transaction((tx) => ensureInitialPolicy(binding.id, tx));
    bindingIds.push(binding.id);
  }
  return { tenantId: tenant.id, userId: user.id, connectionId, apiKey, bindingIds };
}

export async function addMember(tenantId: string, role: Role): Promise<string> {
  const user = await db().user.create({ data: { email: `${role}-${randomUUID().slice(0, 8)}@example.test` } });
  await db().membership.create({ data: { tenantId, userId: user.id, role } });
  return user.id;
}

export async function rowCounts(): Promise<{
  receipts: number;
  runs: number;
  jtis: number;
  connections: number;
  bindings: number;
  audits: number;
}> {
  const [receipts, runs, jtis, connections, bindings, audits] = await Promise.all([
    db().webhookReceipt.count(),
    db().syncRun.count(),
    db().seenJti.count(),
    db().magentoConnection.count(),
    db().binding.count(),
    db().auditLog.count(),
  ]);
  return { receipts, runs, jtis, connections, bindings, audits };
}

// ───────────────────────────── tokens ─────────────────────────────

const b64u = (s: string | Buffer) => Buffer.from(s).toString("base64url");

export function outboundKey(apiKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(apiKey, "utf8"), Buffer.alloc(0), Buffer.from("byte8-magento-outbound-v1"), 32));
}

export interface TokenOptions {
  nowSeconds?: number;
  /** Replaces claims (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Raw payload JSON text instead of JSON.stringify(claims) (e.g. float times). */
  rawPayload?: string;
  header?: Record<string, unknown>;
  /** Sign with this key instead of the api key's outbound subkey. */
  key?: Buffer;
  /** Replace the signature segment. */
  signature?: string;
}

/** What Magento's Signer mints (wire-protocol §3.2), with every part overridable for negative tests. */
export function magentoToken(apiKey: string, tenantId: string, opts: TokenOptions = {}): string {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: "magento",
    sub: tenantId,
    aud: "byte8-ledger",
    iat: now,
    nbf: now,
    exp: now + 60,
    jti: randomUUID(),
  };
  for (const [k, v] of Object.entries(opts.claims ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  const header = b64u(JSON.stringify(opts.header ?? { alg: "HS256", typ: "JWT" }));
  const payload = b64u(opts.rawPayload ?? JSON.stringify(claims));
  const signature =
    opts.signature ??
    createHmac("sha256", opts.key ?? outboundKey(apiKey))
      .update(`${header}.${payload}`)
      .digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export function webhookBody(id: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    magento_entity_id: id,
    website_id: 1,
    store_id: 1,
    occurred_at: "2026-04-30T12:00:00Z",
    payload: { increment_id: String(id).padStart(9, "0"), paid: false },
    ...extra,
  });
}

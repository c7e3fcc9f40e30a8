import { randomUUID } from "node:crypto";
import { audit } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { appVault, secretContext } from "@/lib/crypto";
import { db, Prisma, type MagentoConnection } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, type FieldErrors } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { ensureInitialPolicy } from "@/lib/policy/store";
import { forgetConnection } from "@/lib/magento/key-cache";
import { mintApiKey } from "@/lib/magento/keys";
import { normalisePairingInput, pair, type PairFailureReason } from "@/lib/magento/pairing";

/**
 * Connect Magento: the merchant's store URL and the pairing code they generated in Magento become a
 * stored connection with a fresh 256-bit api key, and a binding waiting for Sage.
 *
 * One api key per Magento install (wire-protocol §12.4): the install is identified by (tenant,
 * normalised base URL), and pairing it again rotates the key on the same connection — its id stays
 * the `tenant_id` Magento signs with, so history, xrefs and bindings carry over.
 */

const SAGE_PROVIDER = "sage_accounting";
const log = childLog({ component: "magento.connect" });

export interface ConnectMagentoInput {
  tenantId: string;
  userId: string;
  magentoBaseUrl: string;
  pairingCode: string;
}

export interface ConnectMagentoOptions {
  /** Defaults from the environment (LEDGER_ALLOW_PRIVATE_URLS, NODE_ENV, LEDGER_BASE_URL). */
  allowPrivate?: boolean;
  requireHttps?: boolean;
  ledgerBaseUrl?: string;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
}

export type ConnectMagentoResult =
  | { ok: true; connectionId: string; bindingId: string; repaired: boolean }
  | { ok: false; reason: PairFailureReason; message: string; fields?: FieldErrors; suggestedBaseUrl?: string };

async function requireManager(tenantId: string, userId: string): Promise<void> {
  const membership = await db().membership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
  if (!membership) throw new AppError("forbidden", "You do not have access to this workspace.");
  if (!can(membership.role, "manageConnections")) {
    throw new AppError("forbidden", `Your role (${membership.role}) cannot pair stores. Ask an admin or owner.`);
  }
}

/** `http://localhost…`, `http://127.x.x.x…` or `http://[::1]…`, as typed (before normalisation). */
function isLoopbackUrl(raw: string): boolean {
  try {
    const host = new URL(raw.trim()).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

/**
 * The install's connection, created `pending` (with the new key, so a webhook racing the pairing
 * answer can already be verified) when the store was never paired in this workspace.
 */
async function connectionFor(tenantId: string, baseUrl: string, apiKey: string): Promise<{ row: MagentoConnection; created: boolean }> {
  const existing = await db().magentoConnection.findFirst({ where: { tenantId, baseUrl }, orderBy: { createdAt: "asc" } });
  if (existing) return { row: existing, created: false };
  const id = randomUUID();
  try {
    const row = await db().magentoConnection.create({
      data: { id, tenantId, baseUrl, status: "pending", encryptedApiKey: appVault().encrypt(apiKey, secretContext.magentoApiKey(id)) },
    });
    return { row, created: true };
  } catch (e) {
    // Two Connect submissions for the same store: the unique (tenant, base URL) index lets one create it.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return { row: await db().magentoConnection.findFirstOrThrow({ where: { tenantId, baseUrl } }), created: false };
    }
    throw e;
  }
}

export async function connectMagento(input: ConnectMagentoInput, opts: ConnectMagentoOptions = {}): Promise<ConnectMagentoResult> {
  await requireManager(input.tenantId, input.userId);
  const e = env();
  const allowPrivate = opts.allowPrivate ?? e.LEDGER_ALLOW_PRIVATE_URLS;
  // Production refuses plain http because the api key travels in the pairing request. A store on
  // this machine's loopback (a local simulator, where private addresses are allowed at all) never
  // puts the key on a network, so the stack and the demo can pair it through the Connect form.
  const requireHttps = opts.requireHttps ?? (e.NODE_ENV === "production" && !(allowPrivate && isLoopbackUrl(input.magentoBaseUrl)));
  const normalised = normalisePairingInput(input, { requireHttps });
  if (!normalised.ok) {
    return { ok: false, reason: "invalid_input", fields: normalised.fields, message: "Check the highlighted fields." };
  }
  const { magentoBaseUrl, pairingCode } = normalised.value;

  const apiKey = mintApiKey();
  const { row, created } = await connectionFor(input.tenantId, magentoBaseUrl, apiKey);
  const context = { tenantId: input.tenantId, connectionId: row.id, magentoHost: new URL(magentoBaseUrl).host };

  const outcome = await pair({
    magentoBaseUrl,
    pairingCode,
    connectionId: row.id,
    apiKey,
    ledgerBaseUrl: opts.ledgerBaseUrl ?? e.LEDGER_BASE_URL,
    requireHttps,
    fetchImpl: createGuardedFetch({
      allowPrivate,
      connectTimeoutMs: opts.connectTimeoutMs,
      totalTimeoutMs: opts.totalTimeoutMs,
    }),
  });
  if (!outcome.ok) {
    // Magento kept whatever key it had, so a connection that existed keeps its key too.
    if (created) await db().magentoConnection.deleteMany({ where: { id: row.id, status: "pending" } });
    log.info({ ...context, reason: outcome.reason, status: outcome.status }, "pairing failed");
    return {
      ok: false,
      reason: outcome.reason,
      message: outcome.message,
      fields: outcome.fields,
      suggestedBaseUrl: outcome.suggestedBaseUrl,
    };
  }

  const now = new Date();
  const bindingId = await db().$transaction(async (tx) => {
    await tx.magentoConnection.update({
      where: { id: row.id },
      data: {
        encryptedApiKey: appVault().encrypt(apiKey, secretContext.magentoApiKey(row.id)),
        status: "active",
        pairedAt: now,
        revokedAt: null,
        lastPingError: null,
      },
    });
    const live = await tx.binding.findFirst({
      where: { magentoConnectionId: row.id, provider: SAGE_PROVIDER, status: { not: "revoked" } },
      orderBy: { createdAt: "desc" },
    });
    const binding =
      live ??
      (await tx.binding.create({
        data: { tenantId: input.tenantId, magentoConnectionId: row.id, provider: SAGE_PROVIDER, status: "pending_sage" },
      }));
    await ensureInitialPolicy(binding.id, tx);
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.userId,
        action: created ? "magento.paired" : "magento.repaired",
        targetType: "magento_connection",
        targetId: row.id,
        data: { baseUrl: magentoBaseUrl, bindingId: binding.id, bindingCreated: !live, previousStatus: created ? null : row.status },
      },
      tx,
    );
    return binding.id;
  });
  // A re-pairing rotates the key: no cached copy of the old one may verify another token here.
  forgetConnection(row.id);
  log.info({ ...context, bindingId, repaired: !created }, "magento paired");
  return { ok: true, connectionId: row.id, bindingId, repaired: !created };
}

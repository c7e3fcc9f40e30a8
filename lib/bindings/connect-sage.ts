import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { expireAbandonedSelections, SELECTION_TTL_MS } from "./sage-business";
import { createSageClient } from "@/lib/sage/client";
import { sageEndpointsFromEnv } from "@/lib/sage/config";
import { SageConnectError } from "@/lib/sage/connect-errors";
import { revokeQuietly, sageOAuth, sealTokenSet } from "@/lib/sage/custody";
import { lockBinding, lockedConnection, type BusinessChoice } from "./lock-sage";
import type { SageTokenSet } from "@/lib/sage/oauth";

/**
 * Connect Sage: the OAuth authorization-code flow (sage-api §3.1) ending in a binding locked to one
 * business (§3.2). The `state` is random, single use, valid 10 minutes and bound to the user, the
 * binding and the tenant; only its SHA-256 is stored.
 */

export const OAUTH_STATE_TTL_MS = 10 * 60_000;
/** Used states are kept a day for "already used" answers, then swept. */
const STATE_RETENTION_MS = 24 * 3600_000;

const connectLog = childLog({ component: "sage.connect" });

const hashState = (state: string) => createHash("sha256").update(state, "utf8").digest("hex");

/** Starts Connect Sage for a binding of the tenant: returns Sage's consent URL to redirect the browser to. */
export async function startSageConnect({
  tenantId,
  userId,
  bindingId,
}: {
  tenantId: string;
  userId: string;
  bindingId: string;
}): Promise<{ authorizeUrl: string; expiresAt: Date }> {
  if (!z.uuid().safeParse(bindingId).success) throw new SageConnectError("binding_unavailable");
  const binding = await db().binding.findFirst({ where: { id: bindingId, tenantId }, include: { sageConnection: true } });
  if (!binding || binding.status === "revoked") throw new SageConnectError("binding_unavailable", { bindingId });

  const now = Date.now();
  await db().oAuthState.deleteMany({ where: { expiresAt: { lt: new Date(now - STATE_RETENTION_MS) } } });
  await expireAbandonedSelections();

  const state = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + OAUTH_STATE_TTL_MS);
  await db().oAuthState.create({ data: { stateHash: hashState(state), tenantId, userId, bindingId, expiresAt } });
  // On a reconnect Sage can skip its country picker.
  const country = lockedConnection(binding)?.country;
  return { authorizeUrl: sageOAuth().buildAuthorizeUrl({ state, scope: "full_access", country }), expiresAt };
}

export type ConnectOutcome =
  | { kind: "connected"; bindingId: string; sageConnectionId: string; reconnected: boolean }
  | { kind: "select_business"; bindingId: string; selectionId: string };

/** Validates and consumes the state; the error names what the merchant can act on. */
async function claimState(state: string | null | undefined, userId: string) {
  if (!state) throw new SageConnectError("state_missing");
  const row = await db().oAuthState.findUnique({ where: { stateHash: hashState(state) } });
  if (!row) throw new SageConnectError("state_invalid");
  // Another user's state is refused without consuming it: it stays usable by the user who started it.
  if (row.userId !== userId) throw new SageConnectError("wrong_user");
  const bindingId = row.bindingId;
  if (row.usedAt) throw new SageConnectError("state_used", { bindingId });
  if (row.expiresAt.getTime() <= Date.now()) throw new SageConnectError("state_expired", { bindingId });
  const claimed = await db().oAuthState.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
  if (claimed.count !== 1) throw new SageConnectError("state_used", { bindingId });
  return row;
}

async function exchange(code: string, bindingId: string): Promise<SageTokenSet> {
  try {
    return await sageOAuth().exchangeCode(code);
  } catch (e) {
    const transient = e instanceof SyncError && e.retryable;
    connectLog.warn({ bindingId, err: e instanceof Error ? e.message : String(e) }, "sage code exchange failed");
    throw new SageConnectError(transient ? "sage_unavailable" : "exchange_failed", { bindingId, cause: e });
  }
}

async function listBusinesses(tokens: SageTokenSet, bindingId: string): Promise<BusinessChoice[]> {
  // No business is chosen yet, so the client may only call /businesses (it refuses anything else).
  const client = createSageClient({ endpoints: sageEndpointsFromEnv(), businessId: null, getAccessToken: async () => tokens.accessToken });
  try {
    const businesses = await client.listBusinesses();
    return businesses.map((b) => ({ id: b.id, name: b.name ?? b.displayed_as, country: b.country?.id ?? null }));
  } catch (e) {
    throw new SageConnectError("sage_unavailable", { bindingId, cause: e });
  }
}

/**
 * Finishes Connect Sage from the OAuth callback's query (`state`, and `code` or `error`) for the
 * signed-in user. One business, or a reconnect of a locked binding: the binding is locked at once.
 * Several businesses on a fresh binding: the tokens wait, encrypted, on a `pending_selection`
 * connection until the merchant picks (business-selection.ts).
 */
export async function completeSageConnect({
  state,
  code,
  error,
  userId,
}: {
  state: string | null | undefined;
  code: string | null | undefined;
  error?: string | null;
  userId: string;
}): Promise<ConnectOutcome> {
  const st = await claimState(state, userId);
  const bindingId = st.bindingId;
  if (error) throw new SageConnectError(error === "access_denied" ? "access_denied" : "sage_refused", { bindingId });
  if (!code) throw new SageConnectError("exchange_failed", { bindingId });

  const membership = await db().membership.findUnique({ where: { tenantId_userId: { tenantId: st.tenantId, userId } } });
  if (!membership || !can(membership.role, "manageConnections")) throw new SageConnectError("not_allowed", { bindingId });
  const binding = await db().binding.findFirst({ where: { id: bindingId, tenantId: st.tenantId }, include: { sageConnection: true } });
  if (!binding || binding.status === "revoked") throw new SageConnectError("binding_unavailable", { bindingId });

  const tokens = await exchange(code, bindingId);
  let keptTokens = false;
  try {
    const choices = await listBusinesses(tokens, bindingId);
    if (choices.length === 0) throw new SageConnectError("no_businesses", { bindingId });

    const locked = lockedConnection(binding);
    const target = locked ? choices.find((c) => c.id === locked.businessId) : choices.length === 1 ? choices[0] : undefined;
    if (locked && !target) throw new SageConnectError("business_locked", { bindingId });
    if (target) {
      const r = await lockBinding({ bindingId, business: target, source: { kind: "fresh", tokens }, actorUserId: userId });
      keptTokens = true;
      return { kind: "connected", ...r };
    }

    const selectionId = randomUUID();
    await db().sageConnection.create({
      data: {
        id: selectionId,
        tenantId: st.tenantId,
        businessId: "",
        businessName: "",
        status: "pending_selection",
        ...sealTokenSet(selectionId, tokens),
        tokenVersion: 1,
        connectedById: userId,
        pendingBindingId: bindingId,
        businessChoices: choices,
        selectionExpiresAt: new Date(Date.now() + SELECTION_TTL_MS),
      },
    });
    keptTokens = true;
    return { kind: "select_business", bindingId, selectionId };
  } finally {
    if (!keptTokens) await revokeQuietly(tokens.refreshToken, { bindingId });
  }
}

import { raiseSageReconnect } from "@/lib/alerts/hooks";
import { audit } from "@/lib/audit";
import { appVault, secretContext } from "@/lib/crypto";
import { db, type Prisma, type SageConnection } from "@/lib/db";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { createSageClient, type SageClient } from "./client";
import { sageEndpointsFromEnv } from "./config";
import { isInvalidGrant } from "./errors";
import { createSageOAuth, type SageOAuth, type SageTokenSet } from "./oauth";

/**
 * Token custody: the only code that decrypts Sage tokens or talks to Sage's token endpoint on a
 * stored connection's behalf.
 *
 * Refresh tokens are single-use (D8), so a refresh runs under `SELECT … FOR UPDATE` on the
 * connection row, re-reads the row once the lock is held (another worker or process may have
 * rotated the pair while we waited — then its token is used), and commits the new encrypted pair
 * before the access token is handed out. Two refreshes can therefore never present the same
 * refresh token.
 */

/** Consecutive failed refreshes after which a connection is parked as `needs_reconnect`. */
export const REFRESH_FAILURE_LIMIT = 3;
/** A token is not handed out in its last quarter of life, and never with less than this left… */
const MAX_SAFETY_MARGIN_MS = 60_000;
/** …unless another worker rotated it while we waited for the lock: then anything still alive will do. */
const MIN_REMAINING_MS = 1_000;
/** The token call runs inside the lock's transaction, so it must time out well before the transaction. */
const TOKEN_CALL_TIMEOUT_MS = 15_000;
/** Waiting for the lock counts against `maxWait` (pool) and `timeout` (whole transaction). */
const LOCK_TX = { maxWait: 30_000, timeout: 45_000 } as const;

const custodyLog = childLog({ component: "sage.custody" });

/** Sage's OAuth endpoints from the environment; read per call so tests and the demo can point it anywhere. */
export function sageOAuth(): SageOAuth {
  return createSageOAuth({ endpoints: sageEndpointsFromEnv(), timeoutMs: TOKEN_CALL_TIMEOUT_MS });
}

/** The token columns for a freshly issued pair, encrypted with AAD bound to this row. */
export function sealTokenSet(connectionId: string, t: SageTokenSet, now = new Date()) {
  const vault = appVault();
  return {
    encryptedAccessToken: vault.encrypt(t.accessToken, secretContext.sageAccessToken(connectionId)),
    encryptedRefreshToken: vault.encrypt(t.refreshToken, secretContext.sageRefreshToken(connectionId)),
    accessTokenExpiresAt: t.expiresAt,
    refreshTokenExpiresAt: t.refreshTokenExpiresAt,
    lastRefreshedAt: now,
    refreshFailureCount: 0,
    lastRefreshError: null,
  } satisfies Prisma.SageConnectionUpdateInput;
}

function openRefreshToken(row: Pick<SageConnection, "id" | "encryptedRefreshToken">): string | null {
  return row.encryptedRefreshToken ? appVault().decrypt(row.encryptedRefreshToken, secretContext.sageRefreshToken(row.id)) : null;
}

/** Best effort: revokes a token at Sage (ending its whole grant); false when Sage could not be told. */
export async function revokeQuietly(refreshToken: string | null, context: Record<string, unknown>): Promise<boolean> {
  if (!refreshToken) return false;
  try {
    await sageOAuth().revokeToken(refreshToken);
    return true;
  } catch (e) {
    custodyLog.warn({ ...context, err: e instanceof SyncError ? e.message : "unexpected error" }, "sage token revoke failed");
    return false;
  }
}

/**
 * Revokes the refresh token held in `row` (as read — pass the row from before tokens were replaced
 * or deleted). A token that no longer decrypts (lost key) cannot be revoked, which must not stop a
 * disconnect or reconnect, so it counts as not revoked.
 */
export async function revokeStoredTokens(row: Pick<SageConnection, "id" | "encryptedRefreshToken">): Promise<boolean> {
  let token: string | null;
  try {
    token = openRefreshToken(row);
  } catch {
    custodyLog.warn({ sageConnectionId: row.id }, "stored sage refresh token cannot be decrypted; not revoked");
    return false;
  }
  return revokeQuietly(token, { sageConnectionId: row.id });
}

function openAccessToken(row: SageConnection): string {
  if (!row.encryptedAccessToken) throw new SyncError("auth", "Sage connection holds no access token: connect Sage again");
  return appVault().decrypt(row.encryptedAccessToken, secretContext.sageAccessToken(row.id));
}

function safetyMarginMs(row: SageConnection): number {
  if (!row.accessTokenExpiresAt || !row.lastRefreshedAt) return MAX_SAFETY_MARGIN_MS;
  const lifetime = row.accessTokenExpiresAt.getTime() - row.lastRefreshedAt.getTime();
  return Math.min(MAX_SAFETY_MARGIN_MS, Math.max(0, lifetime / 4));
}

function remainingMs(row: SageConnection, now: number): number {
  return row.encryptedAccessToken && row.accessTokenExpiresAt ? row.accessTokenExpiresAt.getTime() - now : -1;
}

/** The error every caller sees for a connection custody will not call Sage for. */
export function reconnectError(row: Pick<SageConnection, "id" | "status" | "lastRefreshError">): SyncError {
  const details = { sageConnectionId: row.id, status: row.status };
  if (row.status === "revoked") {
    return new SyncError("auth", "Sage is disconnected for this binding: connect Sage again", { details });
  }
  return new SyncError("auth", `Sage needs reconnecting: ${row.lastRefreshError ?? "the authorisation is no longer valid"}`, { details });
}

/** Connections custody calls Sage for: live ones, and ones waiting for the merchant to pick a business. */
function assertCallable(row: SageConnection): void {
  if (row.status !== "active" && row.status !== "pending_selection") throw reconnectError(row);
  if (!row.encryptedRefreshToken) throw reconnectError({ ...row, lastRefreshError: "no refresh token is stored" });
}

/** Operator-safe text for `lastRefreshError`: the classified message (never a token), bounded. */
function describeFailure(e: unknown): string {
  const text = e instanceof SyncError ? `${e.syncClass}: ${e.message}` : "internal: unexpected error while refreshing";
  return text.slice(0, 300);
}

export type AccessTokenOptions = {
  /** The caller's token was refused (HTTP 401): rotate even if it looks valid. */
  forceRefresh?: boolean;
  /**
   * The version of the token the caller saw fail. With `forceRefresh`, a row already past this
   * version was rotated by someone else in the meantime, and its token is used instead of rotating again.
   */
  staleVersion?: number;
};

export type IssuedAccessToken = { token: string; version: number };

type LockedOutcome = { kind: "token"; token: IssuedAccessToken } | { kind: "failed"; error: unknown; parked: SageConnection | null };

async function refreshUnderLock(id: string, seenVersion: number, force: boolean): Promise<IssuedAccessToken> {
  const outcome = await db().$transaction(async (tx): Promise<LockedOutcome> => {
    await tx.$queryRaw`SELECT id FROM sage_connections WHERE id = ${id}::uuid FOR UPDATE`;
    const row = await tx.sageConnection.findUniqueOrThrow({ where: { id } });
    assertCallable(row);
    const now = Date.now();
    const left = remainingMs(row, now);
    if (row.tokenVersion !== seenVersion && left > MIN_REMAINING_MS) {
      return { kind: "token", token: { token: openAccessToken(row), version: row.tokenVersion } };
    }
    if (!force && left > safetyMarginMs(row)) {
      return { kind: "token", token: { token: openAccessToken(row), version: row.tokenVersion } };
    }

    const refreshToken = openRefreshToken(row);
    if (!refreshToken) throw reconnectError(row);
    let issued: SageTokenSet;
    try {
      issued = await sageOAuth().refreshTokens(refreshToken);
    } catch (error) {
      const failures = row.refreshFailureCount + 1;
      const park = isInvalidGrant(error) || failures >= REFRESH_FAILURE_LIMIT;
      const updated = await tx.sageConnection.update({
        where: { id },
        data: {
          refreshFailureCount: failures,
          lastRefreshError: describeFailure(error),
          ...(park ? { status: "needs_reconnect" as const } : {}),
        },
      });
      if (park) {
        await audit(
          {
            tenantId: row.tenantId,
            actorType: "system",
            action: "sage.needs_reconnect",
            targetType: "sage_connection",
            targetId: id,
            data: { businessId: row.businessId, failures, reason: updated.lastRefreshError ?? "" },
          },
          tx,
        );
      }
      return { kind: "failed", error, parked: park ? updated : null };
    }

    // Persisted (and committed with the transaction) before anyone gets to use the new token.
    const updated = await tx.sageConnection.update({
      where: { id },
      data: { ...sealTokenSet(id, issued), tokenVersion: { increment: 1 } },
    });
    return { kind: "token", token: { token: issued.accessToken, version: updated.tokenVersion } };
  }, LOCK_TX);

  if (outcome.kind === "token") return outcome.token;
  if (outcome.parked) {
    custodyLog.warn({ sageConnectionId: id, reason: outcome.parked.lastRefreshError }, "sage connection needs reconnecting");
    await raiseSageReconnect(outcome.parked);
    throw reconnectError(outcome.parked);
  }
  custodyLog.warn({ sageConnectionId: id, err: describeFailure(outcome.error) }, "sage token refresh failed");
  throw outcome.error;
}

/** A usable access token and its `tokenVersion`. */
export async function issueAccessToken(sageConnectionId: string, opts: AccessTokenOptions = {}): Promise<IssuedAccessToken> {
  const row = await db().sageConnection.findUnique({ where: { id: sageConnectionId } });
  if (!row) throw new SyncError("auth", "Sage is not connected: the Sage connection no longer exists");
  assertCallable(row);
  const force = opts.forceRefresh === true;
  if (!force && remainingMs(row, Date.now()) > safetyMarginMs(row)) {
    return { token: openAccessToken(row), version: row.tokenVersion };
  }
  const seen = force && opts.staleVersion !== undefined ? opts.staleVersion : row.tokenVersion;
  return refreshUnderLock(sageConnectionId, seen, force);
}

/** The decrypted access token, refreshed first when it is within its safety margin of expiry. */
export async function getAccessToken(sageConnectionId: string, opts: AccessTokenOptions = {}): Promise<string> {
  return (await issueAccessToken(sageConnectionId, opts)).token;
}

export type RefreshSweepResult = {
  checked: number;
  refreshed: number;
  /** Rotated by another worker between the scan and the lock. */
  alreadyFresh: number;
  failed: { sageConnectionId: string; syncClass: string; message: string }[];
};

/**
 * For a cron: rotates every active connection whose access token expires within `withinSeconds`
 * or whose refresh token expires within `refreshTokenWithinSeconds` (default 7 days — a connection
 * idle for 31 days would otherwise lose its refresh token).
 */
export async function refreshExpiringTokens({
  withinSeconds,
  refreshTokenWithinSeconds = 7 * 24 * 3600,
  limit = 500,
}: {
  withinSeconds: number;
  refreshTokenWithinSeconds?: number;
  limit?: number;
}): Promise<RefreshSweepResult> {
  const now = Date.now();
  const due = await db().sageConnection.findMany({
    where: {
      status: "active",
      encryptedRefreshToken: { not: null },
      OR: [
        { accessTokenExpiresAt: null },
        { accessTokenExpiresAt: { lt: new Date(now + withinSeconds * 1000) } },
        { refreshTokenExpiresAt: { lt: new Date(now + refreshTokenWithinSeconds * 1000) } },
      ],
    },
    select: { id: true, tokenVersion: true },
    orderBy: { accessTokenExpiresAt: "asc" },
    take: limit,
  });
  const result: RefreshSweepResult = { checked: due.length, refreshed: 0, alreadyFresh: 0, failed: [] };
  // One at a time: a sweep is background work and must not crowd out the pool or Sage's rate limit.
  for (const c of due) {
    try {
      const t = await issueAccessToken(c.id, { forceRefresh: true, staleVersion: c.tokenVersion });
      if (t.version === c.tokenVersion + 1) result.refreshed += 1;
      else result.alreadyFresh += 1;
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError("internal", "unexpected error");
      result.failed.push({ sageConnectionId: c.id, syncClass: err.syncClass, message: err.message });
    }
  }
  return result;
}

/**
 * A Sage client on one connection and business, with custody's tokens. A forced refresh (after a
 * 401) names the version it saw fail, so concurrent 401s rotate the pair once, not once each.
 */
export function sageClientForConnection(sageConnectionId: string, businessId: string | null): SageClient {
  let lastVersion: number | undefined;
  return createSageClient({
    endpoints: sageEndpointsFromEnv(),
    businessId,
    getAccessToken: async (opts) => {
      const t = await issueAccessToken(sageConnectionId, {
        forceRefresh: opts?.forceRefresh,
        staleVersion: opts?.forceRefresh ? lastVersion : undefined,
      });
      lastVersion = t.version;
      return t.token;
    },
  });
}

/** The Sage client for a binding: its locked business, its connection's tokens. */
export async function sageClientForBinding(bindingId: string): Promise<SageClient> {
  const binding = await db().binding.findUnique({ where: { id: bindingId }, include: { sageConnection: true } });
  if (!binding) throw new SyncError("internal", `Binding ${bindingId} does not exist`);
  if (binding.status === "revoked") throw new SyncError("auth", "This binding has been disconnected");
  const conn = binding.sageConnection;
  if (!conn) throw new SyncError("auth", "Sage is not connected for this binding: connect Sage first");
  if (conn.status !== "active") throw reconnectError(conn);
  return sageClientForConnection(conn.id, conn.businessId);
}

import { z } from "zod";
import { appVault, secretContext } from "@/lib/crypto";
import { db, type MagentoConnection, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { bearerToken, jtiReplayEntry, verifyMagentoToken, type MagentoTokenClaims } from "./jwt";
import { cacheGeneration, cachedConnection, rememberConnection } from "./key-cache";
import { outboundSubkey } from "./keys";

/**
 * Authentication of Magento → Ledger requests (wire-protocol §3.2): the bearer token is verified
 * with the outbound subkey of the connection named by its `sub`, then its `jti` is remembered until
 * the token could no longer be valid, so a captured request cannot be replayed.
 *
 * The connection row and its decrypted key come from a short-lived cache that every instance drops
 * at once on rotation or disconnect (key-cache.ts): a token for a known connection — valid or not —
 * costs no database read; an unknown connection costs the one primary-key read that proves it.
 *
 * Every rejection is an `AppError` with a 4xx code (Magento dead-letters those). Database failures
 * are never turned into a 401: they propagate and the route answers 503, so Magento retries.
 */

type Tx = Prisma.TransactionClient;

/** The connection a token was verified against; the api key itself never leaves this module. */
export type AuthenticatedConnection = Omit<MagentoConnection, "encryptedApiKey">;

export interface VerifiedMagentoRequest {
  claims: MagentoTokenClaims;
  connection: AuthenticatedConnection;
}

export interface VerifyRequestInput {
  authorization: string | null | undefined;
  /** Webhooks: the connection id in the URL path, which must equal the token's `sub`. */
  expectedConnectionId?: string;
  now?: Date;
}

const log = childLog({ component: "magento.request-auth" });
const uuid = z.uuid();
const isUuid = (s: string) => uuid.safeParse(s).success;

// One generic message: the reason is logged, not told to whoever holds the token (§3.2 step 7).
const INVALID_TOKEN_MESSAGE =
  "The request's token was not accepted. Check that the store's clock is correct; if this persists, pair the store again in Ledger.";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function withoutKey(row: MagentoConnection): AuthenticatedConnection {
  const rest: Partial<MagentoConnection> = { ...row };
  delete rest.encryptedApiKey;
  return rest as AuthenticatedConnection;
}

/** Signature, claims and time checks; no replay bookkeeping (see `consumeJti`). */
export async function verifyMagentoRequest(input: VerifyRequestInput): Promise<VerifiedMagentoRequest> {
  const token = bearerToken(input.authorization);
  if (!token) throw new AppError("unauthenticated", "Missing Authorization: Bearer token.");

  let connection: MagentoConnection | null = null;
  const result = await verifyMagentoToken(token, {
    expectedConnectionId: input.expectedConnectionId,
    now: input.now ?? new Date(),
    lookupApiKey: async (connectionId) => {
      // `sub` is the connection id; anything that is not a UUID cannot name one (and would make the query fail).
      if (!isUuid(connectionId)) return null;
      let hit = cachedConnection(connectionId);
      if (hit) {
        // A rotation or disconnect committed just before this request may have its notification
        // already waiting on the listener's socket: let this turn's I/O run before trusting the cache.
        await nextTurn();
        hit = cachedConnection(connectionId);
      }
      if (hit) {
        connection = hit.row;
        return hit.outboundSubkey && { outboundSubkey: hit.outboundSubkey };
      }
      const generation = cacheGeneration();
      const row = await db().magentoConnection.findUnique({ where: { id: connectionId } });
      connection = row;
      if (!row) return null;
      const apiKey =
        row.status === "revoked" || !row.encryptedApiKey
          ? null
          : appVault().decrypt(row.encryptedApiKey, secretContext.magentoApiKey(row.id));
      rememberConnection({ row, outboundSubkey: apiKey === null ? null : outboundSubkey(apiKey) }, generation);
      return apiKey;
    },
  });

  if (!result.ok) {
    const found = connection as MagentoConnection | null;
    log.info({ reason: result.reason, connectionId: found?.id ?? input.expectedConnectionId }, "magento request rejected");
    // The codes keep Magento's word (`tenant_*`): they are the error bodies the module reads.
    if (result.reason === "unknown_connection") {
      if (found?.status === "revoked") {
        throw new AppError("tenant_revoked", "This store was disconnected from Ledger. Pair it again to resume syncing.");
      }
      throw new AppError("unknown_tenant", "Ledger does not know this store. Pair it again from the Ledger dashboard.");
    }
    throw new AppError("invalid_token", INVALID_TOKEN_MESSAGE);
  }
  const verified = connection as MagentoConnection | null;
  if (!verified) throw new Error("verified token without a connection"); // unreachable: lookup ran and returned a key
  return { claims: result.claims, connection: withoutKey(verified) };
}

const PRUNE_INTERVAL_MS = 60_000;
let nextPruneAt = 0;

/** Drops replay entries of tokens that expired; at most once a minute per process, never fatal. */
export async function pruneExpiredJtis(now: Date): Promise<void> {
  if (now.getTime() < nextPruneAt) return;
  nextPruneAt = now.getTime() + PRUNE_INTERVAL_MS;
  try {
    await db().seenJti.deleteMany({ where: { expiresAt: { lt: now } } });
  } catch (e) {
    log.warn({ err: e instanceof Error ? e.message : String(e) }, "pruning seen jtis failed");
  }
}

/**
 * Remembers the token's `jti`; a second use is `token_replayed`. Inside the caller's transaction the
 * entry commits or rolls back with the work it guards, and a concurrent second use of the same jti
 * waits on the first insert and then sees it.
 */
export async function consumeJti(claims: Pick<MagentoTokenClaims, "jti" | "exp">, tx?: Tx, now: Date = new Date()): Promise<void> {
  await pruneExpiredJtis(now);
  const entry = jtiReplayEntry(claims);
  const inserted = await (tx ?? db()).seenJti.createMany({
    data: [{ jtiHash: entry.key, expiresAt: entry.expiresAt }],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    log.warn({ jtiHash: entry.key }, "replayed magento token");
    throw new AppError("token_replayed", "This request's token was already used. Magento mints a new token for every request.");
  }
}

/** Verify, then consume the jti: for endpoints whose work is a single read or write. */
export async function authenticateMagentoRequest(input: VerifyRequestInput): Promise<VerifiedMagentoRequest> {
  const verified = await verifyMagentoRequest(input);
  await consumeJti(verified.claims, undefined, input.now);
  return verified;
}

import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { createMagentoClient, type MagentoClient, type MagentoClientOptions } from "./client";

/**
 * The signed Magento client for one stored connection. A 401 from Magento on a signed call means
 * the store no longer holds our key (re-paired elsewhere, disconnected, or its crypt key rotated):
 * the connection becomes `token_revoked`, which the health tile shows in red with a link to the
 * config. The next successful signed call sets it back to `active`.
 */

const log = childLog({ component: "magento.client-for" });

/** The store was disconnected from Ledger (either side): no call can succeed until it is paired again. */
export class MagentoDisconnectedError extends SyncError {
  constructor() {
    super("auth", "The store was disconnected from Ledger; pair it again to resume syncing");
    this.name = "MagentoDisconnectedError";
  }
}

/** For callers with their own client: records Magento's 401 on the connection; true when `error` was one. */
export async function noteMagentoAuthFailure(connectionId: string, error: unknown): Promise<boolean> {
  if (!(error instanceof SyncError) || error.status !== 401) return false;
  const updated = await db().magentoConnection.updateMany({
    where: { id: connectionId, status: { in: ["active", "pending"] } },
    data: { status: "token_revoked", lastPingError: error.message.slice(0, 500) },
  });
  if (updated.count) log.warn({ connectionId }, "magento rejected our token; connection marked token_revoked");
  return true;
}

async function noteMagentoAuthSuccess(connectionId: string): Promise<void> {
  const updated = await db().magentoConnection.updateMany({
    where: { id: connectionId, status: "token_revoked" },
    data: { status: "active", lastPingError: null },
  });
  if (updated.count) log.info({ connectionId }, "magento accepts our token again; connection active");
}

export interface ClientForOptions {
  /** Overrides for tests (the clock); the key and URL always come from the row. */
  client?: Pick<MagentoClientOptions, "now">;
  allowPrivate?: boolean;
}

export async function magentoClientForConnection(connectionId: string, opts: ClientForOptions = {}): Promise<MagentoClient> {
  const row = await db().magentoConnection.findUnique({ where: { id: connectionId } });
  if (!row) throw new SyncError("not_found", `Magento connection ${connectionId} does not exist`);
  if (row.status === "revoked" || !row.encryptedApiKey) {
    throw new MagentoDisconnectedError();
  }
  const client = createMagentoClient({
    ...opts.client,
    baseUrl: row.baseUrl,
    connectionId: row.id,
    apiKey: appVault().decrypt(row.encryptedApiKey, secretContext.magentoApiKey(row.id)),
    fetchImpl: createGuardedFetch({ allowPrivate: opts.allowPrivate ?? env().LEDGER_ALLOW_PRIVATE_URLS }),
  });
  let knownRevoked = row.status === "token_revoked";

  // Every signed call goes through here so the connection status follows Magento's verdicts.
  const tracked =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await call(...args);
        if (knownRevoked) {
          await noteMagentoAuthSuccess(row.id);
          knownRevoked = false;
        }
        return result;
      } catch (e) {
        if (await noteMagentoAuthFailure(row.id, e)) knownRevoked = true;
        throw e;
      }
    };

  return {
    ping: tracked(client.ping),
    paymentMethods: tracked(client.paymentMethods),
    getInvoice: tracked(client.getInvoice),
    getCreditMemo: tracked(client.getCreditMemo),
    getCustomer: tracked(client.getCustomer),
    getProduct: tracked(client.getProduct),
    getPayment: tracked(client.getPayment),
    pushSyncState: tracked(client.pushSyncState),
  };
}

import { audit } from "@/lib/audit";
import { can } from "@/lib/auth/roles";
import { db, type Prisma } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { forgetConnection } from "./key-cache";
import { consumeJti, verifyMagentoRequest } from "./request-auth";

/**
 * Disconnecting a Magento install, from either side (wire-protocol §7.3). The connection and all its
 * bindings become `revoked` and the api key is deleted, so any later Magento request is answered
 * 401 `tenant_revoked` (visible in Magento as a dead letter) and Ledger can no longer sign calls to
 * the store. Re-pairing the same store later re-activates the same connection (connect.ts).
 */

type Tx = Prisma.TransactionClient;
type Actor = { type: "user"; userId: string } | { type: "magento" };

const log = childLog({ component: "magento.disconnect" });

/** Idempotent: false when the connection was already revoked. */
async function revokeInTx(tx: Tx, connectionId: string, actor: Actor, now: Date): Promise<boolean> {
  const updated = await tx.magentoConnection.updateMany({
    where: { id: connectionId, status: { not: "revoked" } },
    data: { status: "revoked", revokedAt: now, encryptedApiKey: null },
  });
  if (updated.count === 0) return false;
  const connection = await tx.magentoConnection.findUniqueOrThrow({
    where: { id: connectionId },
    select: { tenantId: true, baseUrl: true },
  });
  const bindings = await tx.binding.updateMany({
    where: { magentoConnectionId: connectionId, status: { not: "revoked" } },
    data: { status: "revoked", revokedAt: now },
  });
  await audit(
    {
      tenantId: connection.tenantId,
      actorType: actor.type,
      actorUserId: actor.type === "user" ? actor.userId : null,
      action: "magento.disconnected",
      targetType: "magento_connection",
      targetId: connectionId,
      data: { baseUrl: connection.baseUrl, bindingsRevoked: bindings.count, initiatedBy: actor.type },
    },
    tx,
  );
  return true;
}

/**
 * Dashboard "Disconnect store": the actor must be a member of the connection's tenant who may manage
 * connections. Magento is not told (it has no endpoint for that); its next webhook gets a 401.
 */
export async function revokeMagentoConnection(connectionId: string, actorUserId: string): Promise<{ revoked: boolean }> {
  const connection = await db().magentoConnection.findUnique({ where: { id: connectionId }, select: { id: true, tenantId: true } });
  const membership = connection
    ? await db().membership.findUnique({ where: { tenantId_userId: { tenantId: connection.tenantId, userId: actorUserId } } })
    : null;
  // Same answer for a missing connection and someone else's: ids of other tenants reveal nothing.
  if (!connection || !membership) throw new AppError("not_found", "That store connection does not exist.");
  if (!can(membership.role, "manageConnections")) {
    throw new AppError("forbidden", `Your role (${membership.role}) cannot disconnect stores.`);
  }
  const revoked = await db().$transaction((tx) => revokeInTx(tx, connection.id, { type: "user", userId: actorUserId }, new Date()));
  // Other instances drop their cached key on the trigger's notification; this one needs no wait.
  forgetConnection(connection.id);
  log.info({ tenantId: connection.tenantId, connectionId, actorUserId, revoked }, "magento connection revoked from the dashboard");
  return { revoked };
}

/**
 * `POST /v1/tenant/disconnect` from the Magento admin. Idempotent: a repeat after the revoke (the
 * key is gone, so it cannot be verified any more) still answers "revoked" — Magento clears its
 * credentials whatever we say, and there is nothing left to protect.
 */
export async function disconnectFromMagento(input: {
  authorization: string | null;
  now?: Date;
}): Promise<{ status: "revoked"; alreadyRevoked: boolean }> {
  const now = input.now ?? new Date();
  let verified;
  try {
    verified = await verifyMagentoRequest({ authorization: input.authorization, now });
  } catch (e) {
    if (isAppError(e) && e.code === "tenant_revoked") return { status: "revoked", alreadyRevoked: true };
    throw e;
  }
  const { claims, connection } = verified;
  const revoked = await db().$transaction(async (tx) => {
    await consumeJti(claims, tx, now);
    return revokeInTx(tx, connection.id, { type: "magento" }, now);
  });
  forgetConnection(connection.id);
  log.info({ tenantId: connection.tenantId, connectionId: connection.id, revoked }, "magento connection revoked by the store");
  return { status: "revoked", alreadyRevoked: !revoked };
}

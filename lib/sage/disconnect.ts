import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { revokeStoredTokens } from "./custody";

/**
 * Disconnect Sage from a binding (product-spec §1.7): best-effort revoke at Sage, the tokens deleted,
 * the connection marked `revoked`, the binding back to `pending_sage` (no Sage business — it may be
 * connected again, to any business). The connection row stays for history; xrefs stay too, so a
 * reconnect to the same business reuses them.
 *
 * The connection row is locked for the whole step: a refresh that is under way finishes first and
 * its new refresh token is the one revoked, and no refresh can start on a disconnected row
 * (custody re-reads the status under the same lock).
 */
export async function disconnectSage({
  bindingId,
  actorUserId,
}: {
  bindingId: string;
  actorUserId: string | null;
}): Promise<{ sageConnectionId: string; revokedAtSage: boolean }> {
  return db().$transaction(
    async (tx) => {
      const binding = await tx.binding.findUnique({ where: { id: bindingId } });
      if (!binding) throw new AppError("not_found", "This binding does not exist.");
      const connectionId = binding.sageConnectionId;
      if (!connectionId) throw new AppError("conflict", "Sage is not connected to this binding.");
      await tx.$queryRaw`SELECT id FROM sage_connections WHERE id = ${connectionId}::uuid FOR UPDATE`;
      const conn = await tx.sageConnection.findUniqueOrThrow({ where: { id: connectionId } });

      const revokedAtSage = await revokeStoredTokens(conn);

      await tx.sageConnection.update({
        where: { id: connectionId },
        data: {
          status: "revoked",
          revokedAt: new Date(),
          encryptedAccessToken: null,
          encryptedRefreshToken: null,
          accessTokenExpiresAt: null,
          refreshTokenExpiresAt: null,
          tokenVersion: { increment: 1 },
        },
      });
      // A binding Magento already revoked stays revoked; otherwise it waits for Sage again.
      const status = binding.status === "revoked" ? "revoked" : "pending_sage";
      await tx.binding.update({ where: { id: bindingId }, data: { status, sageConnectionId: null } });
      await audit(
        {
          tenantId: binding.tenantId,
          actorType: actorUserId ? "user" : "system",
          actorUserId,
          action: "sage.disconnected",
          targetType: "binding",
          targetId: bindingId,
          data: { sageConnectionId: connectionId, businessId: conn.businessId, revokedAtSage },
        },
        tx,
      );
      return { sageConnectionId: connectionId, revokedAtSage };
    },
    { maxWait: 30_000, timeout: 45_000 },
  );
}

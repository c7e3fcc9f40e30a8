import { audit } from "@/lib/audit";
import { assertCan } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { revokeMagentoConnection } from "@/lib/magento/disconnect";
import { disconnectSage } from "@/lib/sage/disconnect";

/**
 * "Disconnect binding" (owners): both ends go. The Magento api key is deleted and the connection and
 * its bindings revoked (Magento's next webhook gets 401 and is dead-lettered there); the Sage tokens
 * are revoked and deleted. Sync history, entity cross-references (reused when the same store is
 * paired to the same Sage business again), and Magento's own outbox and mirror all stay.
 */

const log = childLog({ component: "bindings.disconnect" });

export interface DisconnectOutcome {
  magentoRevoked: boolean;
  sageDisconnected: boolean;
  revokedAtSage: boolean;
}

export async function disconnectBinding(input: { tenantId: string; bindingId: string; actorUserId: string }): Promise<DisconnectOutcome> {
  const membership = await db().membership.findUnique({
    where: { tenantId_userId: { tenantId: input.tenantId, userId: input.actorUserId } },
  });
  if (!membership) throw new AppError("forbidden", "You do not have access to this workspace.");
  const binding = await db().binding.findFirst({ where: { id: input.bindingId, tenantId: input.tenantId } });
  // Another tenant's binding answers exactly like a missing one.
  if (!binding) throw new AppError("not_found", "This binding does not exist.");
  assertCan(membership.role, "manageBindings");

  // Magento first: intake stops the moment the key is gone, before Sage is touched.
  const { revoked: magentoRevoked } = await revokeMagentoConnection(binding.magentoConnectionId, input.actorUserId);
  let sageDisconnected = false;
  let revokedAtSage = false;
  if (binding.sageConnectionId) {
    const sage = await disconnectSage({ bindingId: binding.id, actorUserId: input.actorUserId });
    sageDisconnected = true;
    revokedAtSage = sage.revokedAtSage;
  }
  // A connection revoked earlier (e.g. from Magento) left this binding as it was; close it too.
  await db().binding.updateMany({
    where: { id: binding.id, status: { not: "revoked" } },
    data: { status: "revoked", revokedAt: new Date() },
  });
  await audit({
    tenantId: input.tenantId,
    actorType: "user",
    actorUserId: input.actorUserId,
    action: "binding.disconnected",
    targetType: "binding",
    targetId: binding.id,
    data: { magentoRevoked, sageDisconnected, revokedAtSage },
  });
  log.info({ tenantId: input.tenantId, bindingId: binding.id, magentoRevoked, sageDisconnected, revokedAtSage }, "binding disconnected");
  return { magentoRevoked, sageDisconnected, revokedAtSage };
}

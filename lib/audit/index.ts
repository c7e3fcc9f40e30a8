import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";

type Tx = Prisma.TransactionClient;

export interface AuditEntry {
  tenantId: string;
  actorType: "user" | "magento" | "system";
  actorUserId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** Never secrets: callers pass ids and field names, not values of secret columns. */
  data?: Prisma.InputJsonValue;
}

/** Append to the audit log, inside the caller's transaction when given one. */
export async function audit(entry: AuditEntry, tx?: Tx): Promise<void> {
  await (tx ?? db()).auditLog.create({
    data: {
      tenantId: entry.tenantId,
      actorType: entry.actorType,
      actorUserId: entry.actorUserId ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      data: entry.data,
    },
  });
}

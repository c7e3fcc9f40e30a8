import { z } from "zod";
import { audit } from "@/lib/audit";
import { assertCan } from "@/lib/auth/roles";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Role } from "@/src/generated/prisma/enums";

/**
 * Who belongs to a tenant and with which role. Owners manage members; everyone else may read the
 * list. A tenant always keeps at least one owner: the last owner can be neither demoted nor removed.
 */

type Tx = Prisma.TransactionClient;

export const roleSchema = z.enum(Object.values(Role) as [Role, ...Role[]]);

/** A role from form input, or a field error in the app's vocabulary. */
export function parseRole(raw: unknown): Role {
  const parsed = roleSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Choose one of the roles: owner, admin, operator or viewer.", {
      fields: { role: { code: "invalid_format", message: "Choose one of the roles: owner, admin, operator or viewer." } },
    });
  }
  return parsed.data;
}

export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string | null;
  email: string;
  role: Role;
  joinedAt: string;
}

export async function listMembers(tenantId: string): Promise<MemberRow[]> {
  const rows = await db().membership.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((m) => ({
    membershipId: m.id,
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    joinedAt: m.createdAt.toISOString(),
  }));
}

/** The actor must be an owner of THIS tenant; their claims are re-read from the database. */
export async function requireOwner(tenantId: string, actorUserId: string, tx: Tx | ReturnType<typeof db> = db()): Promise<void> {
  const m = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: actorUserId } } });
  if (!m) throw new AppError("forbidden", "You do not have access to this workspace.");
  assertCan(m.role, "manageMembers");
}

/**
 * Lock the tenant's owner rows, the actor's and the target's, THEN check the actor is an owner: two
 * owners demoting each other at the same moment cannot leave the tenant without one, and an owner
 * demoted a moment ago cannot act on the stale role.
 */
async function lockTarget(tx: Tx, tenantId: string, actorUserId: string, membershipId: string) {
  await tx.$queryRaw`SELECT id FROM memberships
     WHERE tenant_id = ${tenantId}::uuid AND (role = 'owner' OR id = ${membershipId}::uuid OR user_id = ${actorUserId}::uuid)
     ORDER BY id FOR UPDATE`;
  await requireOwner(tenantId, actorUserId, tx);
  const target = await tx.membership.findFirst({ where: { id: membershipId, tenantId }, include: { user: { select: { email: true } } } });
  // A membership of another tenant answers like a missing one.
  if (!target) throw new AppError("not_found", "That member does not exist in this workspace.");
  const owners = await tx.membership.count({ where: { tenantId, role: "owner" } });
  return { target, owners };
}

export async function changeMemberRole(input: { tenantId: string; actorUserId: string; membershipId: string; role: Role }): Promise<void> {
  const role = parseRole(input.role);
  await db().$transaction(async (tx) => {
    const { target, owners } = await lockTarget(tx, input.tenantId, input.actorUserId, input.membershipId);
    if (target.role === role) return;
    if (target.role === "owner" && owners <= 1) {
      throw new AppError("conflict", "A workspace needs at least one owner: make someone else an owner first.");
    }
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.actorUserId,
        action: "member.role_changed",
        targetType: "membership",
        targetId: target.id,
        data: { email: target.user.email, from: target.role, to: role },
      },
      tx,
    );
  });
}

export async function removeMember(input: { tenantId: string; actorUserId: string; membershipId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    const { target, owners } = await lockTarget(tx, input.tenantId, input.actorUserId, input.membershipId);
    if (target.role === "owner" && owners <= 1) {
      throw new AppError("conflict", "The last owner cannot be removed: make someone else an owner first.");
    }
    await tx.membership.delete({ where: { id: target.id } });
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.actorUserId,
        action: "member.removed",
        targetType: "membership",
        targetId: target.id,
        data: { email: target.user.email, role: target.role },
      },
      tx,
    );
  });
}

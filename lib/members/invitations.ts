import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { newPasswordSchema } from "@/lib/auth/password-policy";
import { db, type Prisma } from "@/lib/db";
import { AppError, fieldErrorsOf } from "@/lib/errors";
import type { Role } from "@/src/generated/prisma/enums";
import { parseRole, requireOwner } from "./members";

/**
 * Invitations into a tenant. The link carries a random token; only its SHA-256 is stored, so a
 * database read does not yield usable links. Links last 7 days and work once, and only for the
 * invited email address: a forwarded link is useless to anyone else.
 */

type Tx = Prisma.TransactionClient;

export const INVITATION_TTL_DAYS = 7;
// RFC 5321 caps an address at 254 characters.
const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const hashInvitationToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export interface CreatedInvitation {
  invitationId: string;
  token: string;
  email: string;
  role: Role;
  expiresAt: Date;
}

export async function createInvitation(input: {
  tenantId: string;
  actorUserId: string;
  email: string;
  role: Role;
  now?: Date;
}): Promise<CreatedInvitation> {
  const now = input.now ?? new Date();
  const parsedEmail = emailSchema.safeParse(input.email);
  if (!parsedEmail.success) {
    throw new AppError("validation_failed", "Enter a valid email address.", {
      fields: { email: { code: "invalid_format", message: "Enter a valid email address." } },
    });
  }
  const email = parsedEmail.data;
  const role = parseRole(input.role);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const invitation = await db().$transaction(async (tx) => {
    await requireOwner(input.tenantId, input.actorUserId, tx);
    const member = await tx.membership.findFirst({ where: { tenantId: input.tenantId, user: { email } }, select: { id: true } });
    if (member) {
      throw new AppError("conflict", `${email} is already a member.`, {
        fields: { email: { code: "already_member", message: "Already a member of this workspace." } },
      });
    }
    // One live link per address: a new invitation replaces the previous one.
    await tx.invitation.deleteMany({ where: { tenantId: input.tenantId, email, acceptedAt: null } });
    const row = await tx.invitation.create({
      data: { tenantId: input.tenantId, email, role, tokenHash: hashInvitationToken(token), invitedById: input.actorUserId, expiresAt },
    });
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.actorUserId,
        action: "member.invited",
        targetType: "invitation",
        targetId: row.id,
        data: { email, role },
      },
      tx,
    );
    return row;
  });
  return { invitationId: invitation.id, token, email, role, expiresAt };
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  expired: boolean;
}

export async function listPendingInvitations(tenantId: string, now: Date = new Date()): Promise<PendingInvitation[]> {
  const rows = await db().invitation.findMany({ where: { tenantId, acceptedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt.toISOString(), expired: r.expiresAt <= now }));
}

export async function revokeInvitation(input: { tenantId: string; actorUserId: string; invitationId: string }): Promise<void> {
  await db().$transaction(async (tx) => {
    await requireOwner(input.tenantId, input.actorUserId, tx);
    const gone = await tx.invitation.deleteMany({ where: { id: input.invitationId, tenantId: input.tenantId, acceptedAt: null } });
    if (gone.count === 0) throw new AppError("not_found", "That invitation does not exist any more.");
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.actorUserId,
        action: "member.invitation_revoked",
        targetType: "invitation",
        targetId: input.invitationId,
      },
      tx,
    );
  });
}

export type InvitationStatus = "valid" | "expired" | "accepted" | "unknown";

export interface InvitationView {
  status: InvitationStatus;
  tenantName?: string;
  email?: string;
  role?: Role;
  expiresAt?: string;
}

/** What the invite page shows before anyone is signed in; an unknown token reveals nothing. */
export async function inspectInvitation(token: string, now: Date = new Date()): Promise<InvitationView> {
  const row = await db().invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { tenant: { select: { name: true } } },
  });
  if (!row) return { status: "unknown" };
  const status: InvitationStatus = row.acceptedAt ? "accepted" : row.expiresAt <= now ? "expired" : "valid";
  return { status, tenantName: row.tenant.name, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() };
}

/** The invitation row, locked, and checked to be usable now. */
async function usableInvitation(tx: Tx, token: string, now: Date) {
  const tokenHash = hashInvitationToken(token);
  await tx.$queryRaw`SELECT id FROM invitations WHERE token_hash = ${tokenHash} FOR UPDATE`;
  const row = await tx.invitation.findUnique({ where: { tokenHash } });
  if (!row) throw new AppError("not_found", "This invitation link is not valid. Ask an owner of the workspace for a new one.");
  if (row.acceptedAt) throw new AppError("conflict", "This invitation has already been used.");
  if (row.expiresAt <= now) throw new AppError("conflict", "This invitation has expired. Ask an owner of the workspace for a new one.");
  return row;
}

async function join(
  tx: Tx,
  invitation: { id: string; tenantId: string; role: Role },
  userId: string,
  now: Date,
): Promise<{ tenantId: string; role: Role; alreadyMember: boolean }> {
  await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: now } });
  const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: invitation.tenantId, userId } } });
  if (existing) return { tenantId: invitation.tenantId, role: existing.role, alreadyMember: true };
  await tx.membership.create({ data: { tenantId: invitation.tenantId, userId, role: invitation.role } });
  await audit(
    {
      tenantId: invitation.tenantId,
      actorType: "user",
      actorUserId: userId,
      action: "member.joined",
      targetType: "invitation",
      targetId: invitation.id,
      data: { role: invitation.role },
    },
    tx,
  );
  return { tenantId: invitation.tenantId, role: invitation.role, alreadyMember: false };
}

/** A signed-in user accepts: their account's email must be the invited one. */
export async function acceptInvitation(input: {
  token: string;
  userId: string;
  now?: Date;
}): Promise<{ tenantId: string; role: Role; alreadyMember: boolean }> {
  const now = input.now ?? new Date();
  return db().$transaction(async (tx) => {
    const invitation = await usableInvitation(tx, input.token, now);
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true } });
    if (!user || user.email.toLowerCase() !== invitation.email) {
      throw new AppError("forbidden", `This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
    }
    return join(tx, invitation, input.userId, now);
  });
}

export const inviteSignUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(120),
  password: newPasswordSchema,
});

/** Someone without an account: create it for the invited email and join in one step (no new workspace). */
export async function signUpAndAccept(input: {
  token: string;
  name: string;
  password: string;
  now?: Date;
}): Promise<{ email: string; tenantId: string; userId: string }> {
  const now = input.now ?? new Date();
  const parsed = inviteSignUpSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrorsOf(parsed.error) });
  }
  const passwordHash = await hashPassword(parsed.data.password);
  return db().$transaction(async (tx) => {
    const invitation = await usableInvitation(tx, input.token, now);
    const taken = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    if (taken) throw new AppError("conflict", `An account for ${invitation.email} already exists — sign in to accept the invitation.`);
    const user = await tx.user.create({ data: { email: invitation.email, name: parsed.data.name, passwordHash } });
    const joined = await join(tx, invitation, user.id, now);
    return { email: invitation.email, tenantId: joined.tenantId, userId: user.id };
  });
}

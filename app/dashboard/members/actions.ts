"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireTenantContext } from "@/lib/auth/context";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { createInvitation, revokeInvitation } from "@/lib/members/invitations";
import { changeMemberRole, removeMember, roleSchema } from "@/lib/members/members";

/** Members page actions. The owner check is in lib/members against the database, for the current tenant only. */

const PATH = "/dashboard/members";
const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export interface MemberActionState {
  error?: string;
  ok?: string;
}

async function attempt(work: () => Promise<string>): Promise<MemberActionState> {
  try {
    const ok = await work();
    revalidatePath(PATH);
    return { ok };
  } catch (e) {
    if (isAppError(e)) return { error: e.message };
    throw e;
  }
}

export async function changeRoleAction(_prev: MemberActionState, form: FormData): Promise<MemberActionState> {
  const ctx = await requireTenantContext("read", PATH);
  const role = roleSchema.safeParse(text(form, "role"));
  const membershipId = z.uuid().safeParse(text(form, "membershipId"));
  if (!role.success || !membershipId.success) return { error: "Pick one of the roles." };
  return attempt(async () => {
    await changeMemberRole({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, membershipId: membershipId.data, role: role.data });
    return `Role changed to ${role.data}.`;
  });
}

export async function removeMemberAction(_prev: MemberActionState, form: FormData): Promise<MemberActionState> {
  const ctx = await requireTenantContext("read", PATH);
  const membershipId = z.uuid().safeParse(text(form, "membershipId"));
  if (!membershipId.success) return { error: "That member does not exist in this workspace." };
  return attempt(async () => {
    await removeMember({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, membershipId: membershipId.data });
    return "Member removed.";
  });
}

export interface InviteState {
  error?: string;
  fieldError?: string;
  link?: string;
  email?: string;
  role?: string;
  expiresAt?: string;
}

export async function inviteAction(_prev: InviteState, form: FormData): Promise<InviteState> {
  const ctx = await requireTenantContext("read", PATH);
  const role = roleSchema.safeParse(text(form, "role"));
  if (!role.success) return { error: "Pick a role for the invitation." };
  try {
    const inv = await createInvitation({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, email: text(form, "email"), role: role.data });
    revalidatePath(PATH);
    return { link: `${env().LEDGER_BASE_URL}/invite/${inv.token}`, email: inv.email, role: inv.role, expiresAt: inv.expiresAt.toISOString() };
  } catch (e) {
    if (isAppError(e)) return { error: e.fields ? undefined : e.message, fieldError: e.fields?.email?.message };
    throw e;
  }
}

export async function revokeInvitationAction(_prev: MemberActionState, form: FormData): Promise<MemberActionState> {
  const ctx = await requireTenantContext("read", PATH);
  const invitationId = z.uuid().safeParse(text(form, "invitationId"));
  if (!invitationId.success) return { error: "That invitation does not exist any more." };
  return attempt(async () => {
    await revokeInvitation({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, invitationId: invitationId.data });
    return "Invitation withdrawn.";
  });
}

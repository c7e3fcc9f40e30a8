"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { env } from "@/lib/env";
import { formAction } from "@/lib/http/action";
import { createInvitation, revokeInvitation } from "@/lib/members/invitations";
import { changeMemberRole, removeMember, roleSchema } from "@/lib/members/members";

/** Members page actions (owners). lib/members re-checks the owner against the database, for the current tenant only. */

const spec = { access: "manageMembers", returnTo: "/dashboard/members" } as const;
const role = (error: string) => z.enum(roleSchema.options, { error });

/** Each action answers with the sentence shown next to its control. */
function done(sentence: string): string {
  revalidatePath(spec.returnTo);
  return sentence;
}

export const changeRoleAction = formAction(
  {
    ...spec,
    name: "members.changeRole",
    input: z.object({ membershipId: z.uuid("Pick one of the roles."), role: role("Pick one of the roles.") }),
  },
  async (input, ctx) => {
    await changeMemberRole({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, ...input });
    return done(`Role changed to ${input.role}.`);
  },
);

export const removeMemberAction = formAction(
  { ...spec, name: "members.remove", input: z.object({ membershipId: z.uuid("That member does not exist in this workspace.") }) },
  async (input, ctx) => {
    await removeMember({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, ...input });
    return done("Member removed.");
  },
);

export const inviteAction = formAction(
  {
    ...spec,
    name: "members.invite",
    input: z.object({ email: z.string().default(""), role: role("Pick a role for the invitation.") }),
    echo: ["email"],
  },
  async (input, ctx) => {
    const inv = await createInvitation({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, ...input });
    revalidatePath(spec.returnTo);
    return {
      link: `${env().LEDGER_BASE_URL}/invite/${inv.token}`,
      email: inv.email,
      role: inv.role,
      expiresAt: inv.expiresAt.toISOString(),
    };
  },
);

export const revokeInvitationAction = formAction(
  { ...spec, name: "members.revokeInvitation", input: z.object({ invitationId: z.uuid("That invitation does not exist any more.") }) },
  async (input, ctx) => {
    await revokeInvitation({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, ...input });
    return done("Invitation withdrawn.");
  },
);

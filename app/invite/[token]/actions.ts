"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { TENANT_COOKIE, sessionUserId } from "@/lib/auth/context";
import { signIn, signOut } from "@/lib/auth/config";
import { isProduction } from "@/lib/env";
import { formAction, submitAction } from "@/lib/http/action";
import { acceptInvitation, signUpAndAccept } from "@/lib/members/invitations";

/** Accepting an invitation: as the signed-in user, or by creating the invited account. */

const text = z.string().default("");

/** Open the dashboard in the workspace just joined. */
async function switchTo(tenantId: string): Promise<void> {
  (await cookies()).set(TENANT_COOKIE, tenantId, { httpOnly: true, sameSite: "lax", path: "/", secure: isProduction() });
}

export const acceptInviteAction = formAction(
  { name: "invite.accept", access: "public", input: z.object({ token: text }) },
  async ({ token }) => {
    const userId = await sessionUserId();
    if (!userId) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
    const { tenantId } = await acceptInvitation({ token, userId });
    await switchTo(tenantId);
    redirect("/dashboard");
  },
);

export const signUpAndAcceptAction = formAction(
  { name: "invite.signUpAndAccept", access: "public", input: z.object({ token: text, name: text, password: text }), echo: ["name"] },
  async ({ token, name, password }) => {
    const joined = await signUpAndAccept({ token, name, password });
    await switchTo(joined.tenantId);
    await signIn("credentials", { email: joined.email, password, redirectTo: "/dashboard" });
    return null;
  },
);

/** Signed in as someone else: sign out and come back to this invitation. */
export const switchAccountAction = submitAction(
  { name: "invite.switchAccount", access: "public", input: z.object({ token: text }) },
  async ({ token }) => {
    await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}` });
  },
);

"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { TENANT_COOKIE, sessionUserId } from "@/lib/auth/context";
import { signIn, signOut } from "@/lib/auth/config";
import { isProduction } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { acceptInvitation, signUpAndAccept } from "@/lib/members/invitations";

/** Accepting an invitation: as the signed-in user, or by creating the invited account. */

export interface InviteFormState {
  error?: string;
  fields?: Record<string, string>;
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** Open the dashboard in the workspace just joined. */
async function switchTo(tenantId: string): Promise<void> {
  (await cookies()).set(TENANT_COOKIE, tenantId, { httpOnly: true, sameSite: "lax", path: "/", secure: isProduction() });
}

export async function acceptInviteAction(_prev: InviteFormState, form: FormData): Promise<InviteFormState> {
  const token = text(form, "token");
  const userId = await sessionUserId();
  if (!userId) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`);
  let tenantId: string;
  try {
    ({ tenantId } = await acceptInvitation({ token, userId }));
  } catch (e) {
    if (isAppError(e)) return { error: e.message };
    throw e;
  }
  await switchTo(tenantId);
  redirect("/dashboard");
}

export async function signUpAndAcceptAction(_prev: InviteFormState, form: FormData): Promise<InviteFormState> {
  const token = text(form, "token");
  const password = text(form, "password");
  let joined: { email: string; tenantId: string };
  try {
    joined = await signUpAndAccept({ token, name: text(form, "name"), password });
  } catch (e) {
    if (isAppError(e)) return { error: e.fields ? undefined : e.message, fields: Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, v.message])) };
    throw e;
  }
  await switchTo(joined.tenantId);
  await signIn("credentials", { email: joined.email, password, redirectTo: "/dashboard" });
  return {};
}

/** Signed in as someone else: sign out and come back to this invitation. */
export async function switchAccountAction(form: FormData): Promise<void> {
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(`/invite/${text(form, "token")}`)}` });
}

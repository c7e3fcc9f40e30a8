"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/auth/throttle";
import { findEmbedConnection } from "@/lib/bindings/embed";
import { isAppError } from "@/lib/errors";
import { EMBED_COOKIE, embedCookieOptions, embedSignIn, endEmbedSession } from "@/lib/members/embed-session";

/** The embedded view's own sign-in and sign-out (its cookie is not the dashboard's). */

export interface EmbedSignInState {
  error?: string;
  email?: string;
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

export async function embedSignInAction(_prev: EmbedSignInState, form: FormData): Promise<EmbedSignInState> {
  const connection = await findEmbedConnection(text(form, "connectionId"));
  const email = text(form, "email");
  if (!connection || connection.status === "revoked") return { error: "This store is not connected to Ledger.", email };
  let session: string;
  try {
    session = await embedSignIn({ connection, email, password: text(form, "password"), address: clientAddress(await headers()) });
  } catch (e) {
    if (isAppError(e)) return { error: e.message, email };
    throw e;
  }
  (await cookies()).set(EMBED_COOKIE, session, embedCookieOptions);
  redirect(`/embed/${connection.id}`);
}

export async function embedSignOutAction(form: FormData): Promise<void> {
  const jar = await cookies();
  await endEmbedSession(jar.get(EMBED_COOKIE)?.value, text(form, "connectionId"));
  jar.set(EMBED_COOKIE, "", { ...embedCookieOptions, maxAge: 0 });
  redirect(`/embed/${encodeURIComponent(text(form, "connectionId"))}`);
}

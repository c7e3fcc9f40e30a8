"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/throttle";
import { findEmbedConnection } from "@/lib/bindings/embed";
import { AppError } from "@/lib/errors";
import { formAction, submitAction } from "@/lib/http/action";
import { EMBED_COOKIE, embedCookieOptions, embedSignIn, endEmbedSession } from "@/lib/members/embed-session";

/** The embedded view's own sign-in and sign-out (its cookie is not the dashboard's). */

const text = z.string().default("");

export const embedSignInAction = formAction(
  { name: "embed.signIn", access: "public", input: z.object({ connectionId: text, email: text, password: text }), echo: ["email"] },
  async ({ connectionId, email, password }) => {
    const connection = await findEmbedConnection(connectionId);
    if (!connection || connection.status === "revoked") throw new AppError("not_found", "This store is not connected to Ledger.");
    const session = await embedSignIn({ connection, email, password, address: clientAddress(await headers()) });
    (await cookies()).set(EMBED_COOKIE, session, embedCookieOptions);
    redirect(`/embed/${connection.id}`);
  },
);

export const embedSignOutAction = submitAction(
  { name: "embed.signOut", access: "public", input: z.object({ connectionId: text }) },
  async ({ connectionId }) => {
    const jar = await cookies();
    await endEmbedSession(jar.get(EMBED_COOKIE)?.value, connectionId);
    jar.set(EMBED_COOKIE, "", { ...embedCookieOptions, maxAge: 0 });
    redirect(`/embed/${encodeURIComponent(connectionId)}`);
  },
);

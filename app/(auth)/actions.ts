"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut, TooManyAttempts } from "@/lib/auth/config";
import { tooManyAttemptsMessage } from "@/lib/auth/throttle";
import { registerUser } from "@/lib/auth/sign-up";
import { AppError } from "@/lib/errors";
import { formAction, submitAction } from "@/lib/http/action";

/** Sign in, sign up and sign out. Success is a redirect; a refusal comes back in the one action result. */

const text = z.string().max(2048).default("");

/** Only same-site relative paths: an open redirect after sign-in would be a phishing aid. */
function safeReturnPath(s: string): string {
  return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") ? s : "/dashboard";
}

export const signInAction = formAction(
  { name: "auth.signIn", access: "public", input: z.object({ email: text, password: text, callbackUrl: text }), echo: ["email"] },
  async ({ email, password, callbackUrl }) => {
    try {
      await signIn("credentials", { email, password, redirectTo: safeReturnPath(callbackUrl) });
    } catch (e) {
      if (e instanceof TooManyAttempts)
        throw new AppError("rate_limited", tooManyAttemptsMessage(e.retryAfterSeconds), { retryAfterSeconds: e.retryAfterSeconds });
      if (e instanceof AuthError) throw new AppError("unauthenticated", "That email and password don't match an account.");
      throw e; // includes Next's redirect signal on success
    }
    return null;
  },
);

export const signUpAction = formAction(
  {
    name: "auth.signUp",
    access: "public",
    input: z.object({ name: text, email: text, workspace: text, password: text }),
    echo: ["name", "email", "workspace"],
  },
  async ({ password, ...values }) => {
    await registerUser({ ...values, password });
    await signIn("credentials", { email: values.email, password, redirectTo: "/dashboard" });
    return null;
  },
);

export const signOutAction = submitAction({ name: "auth.signOut", access: "public", input: z.object({}) }, async () => {
  await signOut({ redirectTo: "/sign-in" });
});

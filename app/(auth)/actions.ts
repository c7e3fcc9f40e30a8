"use server";

import { AuthError } from "next-auth";
import { signIn, signOut, TooManyAttempts } from "@/lib/auth/config";
import { tooManyAttemptsMessage } from "@/lib/auth/throttle";
import { registerUser } from "@/lib/auth/sign-up";
import { isAppError } from "@/lib/errors";

export interface AuthFormState {
  error?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
}

/** Only same-site relative paths: an open redirect after sign-in would be a phishing aid. */
function safeReturnPath(raw: FormDataEntryValue | null): string {
  const s = typeof raw === "string" ? raw : "";
  return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") ? s : "/dashboard";
}

export async function signInAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeReturnPath(form.get("callbackUrl")),
    });
    return {};
  } catch (e) {
    if (e instanceof TooManyAttempts) return { error: tooManyAttemptsMessage(e.retryAfterSeconds), values: { email } };
    if (e instanceof AuthError) return { error: "That email and password don't match an account.", values: { email } };
    throw e; // includes Next's redirect signal on success
  }
}

export async function signUpAction(_prev: AuthFormState, form: FormData): Promise<AuthFormState> {
  const values = {
    name: String(form.get("name") ?? ""),
    email: String(form.get("email") ?? ""),
    workspace: String(form.get("workspace") ?? ""),
  };
  const password = String(form.get("password") ?? "");
  try {
    await registerUser({ ...values, password });
  } catch (e) {
    if (isAppError(e)) {
      const fields = Object.fromEntries(Object.entries(e.fields ?? {}).map(([k, v]) => [k, v.message]));
      return { error: e.message, fields, values };
    }
    throw e;
  }
  await signIn("credentials", { email: values.email, password, redirectTo: "/dashboard" });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

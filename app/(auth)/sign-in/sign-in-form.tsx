"use client";

import Link from "next/link";
import { useActionState } from "react";
import { CredentialFields } from "@/components/ui/credential-fields";
import { signInAction, type AuthFormState } from "../actions";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signInAction, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/dashboard"} />
      <CredentialFields email={state.values?.email} error={state.error} pending={pending} autoFocus />
      <p className="text-center text-muted">
        New to Ledger?{" "}
        <Link className="text-accent hover:underline" href="/sign-up">
          Create an account
        </Link>
      </p>
    </form>
  );
}

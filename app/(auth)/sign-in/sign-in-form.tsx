"use client";

import Link from "next/link";
import { useAction } from "@/components/forms/use-action";
import { CredentialFields } from "@/components/ui/credential-fields";
import { signInAction } from "../actions";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const f = useAction(signInAction);
  return (
    <form action={f.action} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/dashboard"} />
      <CredentialFields email={f.value("email")} error={f.error?.message} pending={f.pending} autoFocus />
      <p className="text-center text-muted">
        New to Ledger?{" "}
        <Link className="text-accent hover:underline" href="/sign-up">
          Create an account
        </Link>
      </p>
    </form>
  );
}

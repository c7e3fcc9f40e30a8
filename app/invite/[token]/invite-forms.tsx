"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { acceptInviteAction, signUpAndAcceptAction, type InviteFormState } from "./actions";

function Problem({ text }: { text?: string }) {
  return text ? (
    <p role="alert" className="rounded-md bg-bad-soft px-3 py-2 text-bad">
      {text}
    </p>
  ) : null;
}

export function AcceptForm({ token, tenantName }: { token: string; tenantName: string }) {
  const [state, action, pending] = useActionState<InviteFormState, FormData>(acceptInviteAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <Problem text={state.error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${tenantName}`}
      </Button>
    </form>
  );
}

export function SignUpForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<InviteFormState, FormData>(signUpAndAcceptAction, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <Field label="Email" name="email-shown" value={email} readOnly disabled hint="The invitation is for this address." />
      <Field label="Your name" name="name" autoComplete="name" required error={state.fields?.name} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={12} error={state.fields?.password} hint="At least 12 characters, not a common password." />
      <Problem text={state.error} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create account and join"}
      </Button>
    </form>
  );
}

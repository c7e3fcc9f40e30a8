"use client";

import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { acceptInviteAction, signUpAndAcceptAction } from "./actions";

export function AcceptForm({ token, tenantName }: { token: string; tenantName: string }) {
  const { action, pending, error } = useAction(acceptInviteAction);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${tenantName}`}
      </Button>
    </form>
  );
}

export function SignUpForm({ token, email }: { token: string; email: string }) {
  const { action, pending, error, field, hasFields, value } = useAction(signUpAndAcceptAction);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <Field label="Email" name="email-shown" value={email} readOnly disabled hint="The invitation is for this address." />
      <Field label="Your name" name="name" autoComplete="name" required defaultValue={value("name")} error={field("name")} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        error={field("password")}
        hint="At least 12 characters, not a common password."
      />
      {error && !hasFields ? <Alert tone="error">{error.message}</Alert> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create account and join"}
      </Button>
    </form>
  );
}

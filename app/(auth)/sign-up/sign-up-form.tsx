"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signUpAction, type AuthFormState } from "../actions";

export function SignUpForm() {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signUpAction, {});
  const f = state.fields ?? {};
  return (
    <form action={action} className="space-y-4">
      <Field label="Your name" name="name" autoComplete="name" required defaultValue={state.values?.name} error={f.name} autoFocus />
      <Field label="Work email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} error={f.email} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={12} error={f.password} hint="At least 12 characters, not a common password." />
      <Field label="Workspace name" name="workspace" required defaultValue={state.values?.workspace} error={f.workspace} hint="Usually your shop or company name." />
      {state.error && !Object.keys(f).length ? (
        <p role="alert" className="rounded-md bg-bad-soft px-3 py-2 text-bad">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your workspace…" : "Create account"}
      </Button>
      <p className="text-center text-muted">
        Already have an account?{" "}
        <Link className="text-accent hover:underline" href="/sign-in">
          Sign in
        </Link>
      </p>
    </form>
  );
}

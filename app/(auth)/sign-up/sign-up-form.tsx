"use client";

import Link from "next/link";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signUpAction } from "../actions";

export function SignUpForm() {
  const f = useAction(signUpAction);
  return (
    <form action={f.action} className="space-y-4">
      <Field label="Your name" name="name" autoComplete="name" required defaultValue={f.value("name")} error={f.field("name")} autoFocus />
      <Field
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={f.value("email")}
        error={f.field("email")}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        error={f.field("password")}
        hint="At least 12 characters, not a common password."
      />
      <Field
        label="Workspace name"
        name="workspace"
        required
        defaultValue={f.value("workspace")}
        error={f.field("workspace")}
        hint="Usually your shop or company name."
      />
      {f.error && !f.hasFields ? <Alert tone="error">{f.error.message}</Alert> : null}
      <Button type="submit" className="w-full" disabled={f.pending}>
        {f.pending ? "Creating your workspace…" : "Create account"}
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

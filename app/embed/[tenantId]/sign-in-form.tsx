"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { embedSignInAction, type EmbedSignInState } from "./actions";

export function EmbedSignInForm({ connectionId }: { connectionId: string }) {
  const [state, action, pending] = useActionState<EmbedSignInState, FormData>(embedSignInAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="connectionId" value={connectionId} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {state.error ? (
        <p role="alert" className="rounded-md bg-bad-soft px-3 py-2 text-bad">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

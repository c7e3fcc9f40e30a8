"use client";

import { useActionState } from "react";
import { CredentialFields } from "@/components/ui/credential-fields";
import { embedSignInAction, type EmbedSignInState } from "./actions";

export function EmbedSignInForm({ connectionId }: { connectionId: string }) {
  const [state, action, pending] = useActionState<EmbedSignInState, FormData>(embedSignInAction, {});
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="connectionId" value={connectionId} />
      <CredentialFields email={state.email} error={state.error} pending={pending} />
    </form>
  );
}

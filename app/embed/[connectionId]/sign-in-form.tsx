"use client";

import { useAction } from "@/components/forms/use-action";
import { CredentialFields } from "@/components/ui/credential-fields";
import { embedSignInAction } from "./actions";

export function EmbedSignInForm({ connectionId }: { connectionId: string }) {
  const f = useAction(embedSignInAction);
  return (
    <form action={f.action} className="space-y-3">
      <input type="hidden" name="connectionId" value={connectionId} />
      <CredentialFields email={f.value("email")} error={f.error?.message} pending={f.pending} />
    </form>
  );
}

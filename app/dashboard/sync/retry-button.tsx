"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { retryRunAction, type ActionState } from "./actions";

/** Retry one run (operators and above; the server re-checks the role and the tenant). */
export function RetryButton({ runId, retryable }: { runId: string; retryable: boolean }) {
  const [state, action, pending] = useActionState<ActionState | null, FormData>(retryRunAction, null);
  return (
    <form action={action} className="flex items-center gap-3">
      <input type="hidden" name="runId" value={runId} />
      {/* Stays mounted after the run leaves failed/skipped, so the confirmation stays visible. */}
      {retryable ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Retrying…" : "Retry"}
        </Button>
      ) : null}
      {state ? (
        <p role="status" className={`text-sm ${state.ok ? "text-ok" : "text-bad"}`}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { retryRunAction } from "./actions";

/** Retry one run (operators and above; the server re-checks the role and the tenant). */
export function RetryButton({ runId, retryable }: { runId: string; retryable: boolean }) {
  const { state, action, pending } = useAction(retryRunAction);
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
        <Alert tone={state.ok ? "success" : "error"} inline role="status" className="text-sm">
          {state.ok ? state.data : state.error.message}
        </Alert>
      ) : null}
    </form>
  );
}

"use client";

import { useState } from "react";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { retryRunAction } from "./actions";

/**
 * Retry one run (operators and above; the server re-checks the role and the tenant). "Queued again"
 * stays while the retried run is in flight and goes once it has settled (issue 17: a finished run must
 * not still say it is queued): the run's `updatedAt` when the answer came is the mark.
 */
export function RetryButton({
  runId,
  retryable,
  live,
  updatedAt,
}: {
  runId: string;
  retryable: boolean;
  live: boolean;
  updatedAt: string;
}) {
  const { state, action, pending } = useAction(retryRunAction);
  const [mark, setMark] = useState<string | null>(null);
  // Adjusting state during render (not in an effect): remember the run as it was when the answer came.
  if (state?.ok && mark === null) setMark(updatedAt);
  const settled = Boolean(state?.ok && mark !== null && !live && updatedAt !== mark);
  return (
    <form action={action} className="flex items-center gap-3">
      <input type="hidden" name="runId" value={runId} />
      {/* Stays mounted after the run leaves failed/skipped, so the confirmation stays visible. */}
      {retryable ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Retrying…" : "Retry"}
        </Button>
      ) : null}
      {state && !settled ? (
        <Alert tone={state.ok ? "success" : "error"} inline role="status" className="text-sm">
          {state.ok ? state.data : state.error.message}
        </Alert>
      ) : null}
    </form>
  );
}

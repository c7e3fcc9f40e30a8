"use client";

import { useQueryStates } from "nuqs";
import { useEffect } from "react";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormAction } from "@/lib/http/action";
import { reconciliationParams } from "@/lib/reconciliation/period";

/** "Run now" for the chosen binding and period; the page's live refresh then shows its progress. */
export function RunNow({ action, bindingId, start, end }: { action: FormAction<string>; bindingId: string; start: string; end: string }) {
  const { state, action: submit, pending } = useAction<string>(action);
  const [, setQ] = useQueryStates(reconciliationParams, { shallow: false });
  // Show the reconciliation just started (its progress), not an earlier one the URL pointed at.
  const started = state?.ok ? state.data : null;
  useEffect(() => {
    if (started) void setQ({ run: started, class: null });
  }, [started, setQ]);
  return (
    <form action={submit} className="flex flex-col items-end gap-1">
      <input type="hidden" name="bindingId" value={bindingId} />
      <input type="hidden" name="start" value={start} />
      <input type="hidden" name="end" value={end} />
      <Button type="submit" disabled={pending}>
        {pending ? "Starting…" : "Run now"}
      </Button>
      {state && !state.ok ? (
        <Alert tone="error" inline role="status" className="text-sm">
          {state.error.message}
        </Alert>
      ) : null}
    </form>
  );
}

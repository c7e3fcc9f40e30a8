"use client";

import { useState, useSyncExternalStore } from "react";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount } from "@/lib/status-views/counts";
import type { BulkRetryView } from "@/lib/history/bulk-retry";
import { startBulkRetryAction } from "./actions";
import { ProgressBar } from "@/components/ui/progress-bar";

/** "Retry N runs" for the filtered set, with a confirmation step; once started, the progress card takes over. */
export function BulkRetryButton({ count, params }: { count: number; params: string }) {
  const [confirming, setConfirming] = useState(false);
  const { state, action, pending } = useAction<string>(async (prev, form) => {
    const next = await startBulkRetryAction(prev, form);
    setConfirming(false);
    return next;
  });
  if (!count && (!state || state.ok)) return null;
  return (
    <div className="flex flex-col items-end gap-1">
      {confirming ? (
        <form
          action={action}
          className="flex items-center gap-2 rounded-md border border-warn bg-warn-soft px-3 py-2 text-sm"
          role="alertdialog"
          aria-label="Confirm bulk retry"
        >
          <input type="hidden" name="filter" value={params} />
          <span>
            Retry {formatCount(count)} failed or skipped run{count === 1 ? "" : "s"} with the current settings?
          </span>
          <Button type="submit" disabled={pending}>
            {pending ? "Starting…" : "Yes, retry"}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </form>
      ) : count ? (
        <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
          Retry {formatCount(count)} run{count === 1 ? "" : "s"}
        </Button>
      ) : null}
      {/* Only a refusal shows here: a started retry is the progress card's to report, which the page's live
          refresh keeps current; a "Retrying N runs." kept beside it would still say so once the card reads "finished". */}
      {state && !state.ok ? (
        <Alert tone="error" inline role="status" className="text-sm">
          {state.error.message}
        </Alert>
      ) : null}
    </div>
  );
}

const noSubscribe = () => () => {};

/**
 * Progress of the current (or just finished) bulk retry; the page's live refresh moves it. A finished
 * one can be dismissed (remembered for the browser session) and the server drops it after a while
 * (issue 17: a finished card goes away).
 */
export function BulkRetryProgress({ job }: { job: BulkRetryView }) {
  const key = `bulk-retry-dismissed:${job.id}`;
  const [dismissedNow, setDismissed] = useState(false);
  const dismissedBefore = useSyncExternalStore(
    noSubscribe,
    () => sessionStorage.getItem(key) !== null,
    () => false,
  );
  if ((dismissedNow || dismissedBefore) && job.status !== "running") return null;
  const processed = job.done + job.failed;
  const word = job.status === "running" ? "Retrying" : job.status === "completed" ? "Bulk retry finished" : "Bulk retry stopped";
  return (
    <section aria-label="Bulk retry progress" className="rounded-xl border border-line bg-surface p-4" data-bulk-retry={job.status}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">
          {word}: {processed.toLocaleString("en-GB")} of {job.total.toLocaleString("en-GB")}
        </span>
        {job.status !== "running" ? (
          <button
            type="button"
            className="order-last text-xs text-muted underline"
            onClick={() => {
              sessionStorage.setItem(key, "1");
              setDismissed(true);
            }}
          >
            Dismiss
          </button>
        ) : null}
        <span className="text-muted">
          {job.done.toLocaleString("en-GB")} queued again · {job.failed.toLocaleString("en-GB")} could not be retried · started{" "}
          <RelativeTime iso={job.createdAt} />
        </span>
      </div>
      <ProgressBar
        value={processed}
        max={job.total}
        label="Runs processed"
        tone={job.failed && job.status !== "running" ? "warn" : "accent"}
      />
      {job.status === "failed" ? (
        <p className="mt-2 text-sm text-bad">The bulk retry stopped early. Runs already queued stay queued; start it again to continue.</p>
      ) : null}
    </section>
  );
}

"use client";

import { useRef } from "react";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { disconnectBindingAction } from "./actions";

/** "Disconnect binding" with a confirmation that says exactly what goes and what stays. */
export function DisconnectDialog({
  bindingId,
  store,
  business,
  kept,
}: {
  bindingId: string;
  store: string;
  business: string | null;
  kept: { syncRuns: number; crossReferences: number };
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { action, pending, error } = useAction(disconnectBindingAction);
  return (
    <>
      <button type="button" className={buttonClass("danger")} onClick={() => ref.current?.showModal()}>
        Disconnect binding
      </button>
      <dialog
        ref={ref}
        aria-labelledby="disconnect-title"
        className="m-auto w-full max-w-lg rounded-xl border border-line bg-surface p-0 text-ink shadow-xl backdrop:bg-black/40"
      >
        <form action={action} className="space-y-4 p-6">
          <input type="hidden" name="bindingId" value={bindingId} />
          <h2 id="disconnect-title" className="text-lg font-semibold">
            Disconnect {store}
            {business ? ` from ${business}` : ""}?
          </h2>
          <div className="grid gap-4 sm:grid-cols-2">
            <section aria-labelledby="removed-title" className="rounded-md bg-bad-soft p-3">
              <h3 id="removed-title" className="font-medium text-bad">
                What gets removed
              </h3>
              <ul className="mt-1 list-disc space-y-1 pl-4 text-sm">
                <li>The Sage sign-in tokens (revoked at Sage, deleted here).</li>
                <li>The Magento api key. Magento&apos;s next events get 401 and are dead-lettered there until you pair again.</li>
                <li>Syncing for this binding stops at once.</li>
              </ul>
            </section>
            <section aria-labelledby="stays-title" className="rounded-md bg-surface-2 p-3">
              <h3 id="stays-title" className="font-medium">
                What stays
              </h3>
              <ul className="mt-1 list-disc space-y-1 pl-4 text-sm">
                <li>Sync history ({kept.syncRuns} runs).</li>
                <li>
                  Entity cross-references ({kept.crossReferences}): reconnecting this store to the same Sage business reuses them, so
                  nothing is duplicated.
                </li>
                <li>Magento&apos;s outbox and sync-status mirror, and everything already in Sage.</li>
              </ul>
            </section>
          </div>
          {error ? <Alert tone="error">{error.message}</Alert> : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass("secondary")} onClick={() => ref.current?.close()}>
              Cancel
            </button>
            <button type="submit" className={buttonClass("danger")} disabled={pending}>
              {pending ? "Disconnecting…" : "Disconnect"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

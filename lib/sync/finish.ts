import type { Prisma } from "@/src/generated/prisma/client";
import { invoiceSyncedEvent, syncStatePushEvent } from "@/lib/jobs/events";
import { completeRun, type RunOutcome } from "./runs";
import type { StepTools } from "./engine";

/** Settle the run, then hand the Magento push-back to its own durable function. */
export async function settle(step: StepTools, runId: string, outcome: RunOutcome, summary?: Prisma.InputJsonValue): Promise<void> {
  await step.run(`record-${outcome.status.replace(/_/g, "-")}`, () => completeRun(runId, outcome, summary));
  await pushLater(step, runId);
}

export async function pushLater(step: StepTools, runId: string): Promise<void> {
  await step.sendEvent("push-sync-state", syncStatePushEvent(runId));
}

/** Wake payments and credit notes waiting for this invoice (waitForEvent in their functions). */
export async function announceInvoice(step: StepTools, bindingId: string, magentoInvoiceId: number): Promise<void> {
  await step.sendEvent("announce-invoice", invoiceSyncedEvent({ bindingId, magentoInvoiceId }));
}

export type { RunOutcome };

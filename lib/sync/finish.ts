import type { Prisma } from "@/src/generated/prisma/client";
import { INVOICE_SYNCED_EVENT } from "@/inngest/events";
import { completeRun, type RunOutcome } from "./runs";
import type { StepTools } from "./engine";

/** Events every sync function sends when it settles a run. */
export const SYNC_STATE_PUSH_EVENT = "ledger/sync-state.push";

/** Settle the run, then hand the Magento push-back to its own durable function. */
export async function settle(step: StepTools, runId: string, outcome: RunOutcome, summary?: Prisma.InputJsonValue): Promise<void> {
  await step.run(`record-${outcome.status.replace(/_/g, "-")}`, () => completeRun(runId, outcome, summary));
  await pushLater(step, runId);
}

export async function pushLater(step: StepTools, runId: string): Promise<void> {
  await step.sendEvent("push-sync-state", { name: SYNC_STATE_PUSH_EVENT, data: { runId } });
}

/** Wake payments and credit notes waiting for this invoice (waitForEvent in their functions). */
export async function announceInvoice(step: StepTools, bindingId: string, magentoInvoiceId: number): Promise<void> {
  await step.sendEvent("announce-invoice", { name: INVOICE_SYNCED_EVENT, data: { bindingId, magentoInvoiceId } });
}

export type { RunOutcome };

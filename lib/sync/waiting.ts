import { db } from "@/lib/db";
import { INVOICE_SYNCED_EVENT } from "@/lib/jobs/events";
import { INVOICE_WAIT_ROUNDS, INVOICE_WAIT_TIMEOUT } from "@/lib/jobs/flow-control";
import type { StepTools } from "./engine";
import { markRunning, markWaiting, type RunScope } from "./runs";
import { xrefScope, type InvoiceXrefData } from "./invoices";
import { findXref } from "./xref";

/**
 * Payments and credit notes need their invoice in Sage first (Magento may deliver them first, or the
 * invoice's own run may have failed and be waiting for an operator's retry). Instead of failing they
 * wait — status `waiting`, woken by the invoice function's `ledger/invoice.synced` event, re-checking
 * the xref after every round so a missed wake-up costs one round at most.
 */

export type InvoiceInSage = { sageId: string; reference: string | null; data: InvoiceXrefData };

export type InvoiceLookup =
  | { state: "in_sage"; invoice: InvoiceInSage }
  /** no invoice.created run will ever post it: the caller may post the invoice itself */
  | { state: "orphan" }
  /** an invoice.created run exists and has not (yet) put it in Sage */
  | { state: "pending"; runStatus: string; reasonCode: string | null };

export async function lookupInvoice(scope: RunScope, magentoInvoiceId: number): Promise<InvoiceLookup> {
  const x = await findXref(xrefScope(scope), "sales_invoice", String(magentoInvoiceId));
  if (x) return { state: "in_sage", invoice: { sageId: x.sageId, reference: x.sageReference, data: x.data as unknown as InvoiceXrefData } };
  const run = await db().syncRun.findFirst({
    where: { bindingId: scope.bindingId, entityType: "invoice", event: "invoice.created", magentoEntityId: magentoInvoiceId },
    orderBy: { createdAt: "desc" },
    select: { status: true, reasonCode: true },
  });
  // An invoice skipped only because it was unpaid is paid now: nothing else will ever post it.
  if (!run || (run.status === "skipped_by_policy" && run.reasonCode === "unpaid_invoice")) return { state: "orphan" };
  return { state: "pending", runStatus: run.status, reasonCode: run.reasonCode };
}

/**
 * Wait until the invoice is in Sage. Returns it, or `orphan` when the caller should post it itself,
 * or null when it never arrived within the rounds (the caller fails the run as not_found).
 */
export async function waitForInvoice(step: StepTools, scope: RunScope, magentoInvoiceId: number): Promise<InvoiceLookup | null> {
  for (let round = 0; round <= INVOICE_WAIT_ROUNDS; round++) {
    const found = (await step.run(`find-invoice-${round}`, () => lookupInvoice(scope, magentoInvoiceId))) as InvoiceLookup;
    if (found.state !== "pending") {
      if (round > 0) await step.run("resume", () => markRunning(scope.runId));
      return found;
    }
    if (round === INVOICE_WAIT_ROUNDS) break;
    if (round === 0) {
      await step.run("mark-waiting", () =>
        markWaiting(
          scope.runId,
          `Waiting for invoice ${magentoInvoiceId} to reach Sage first; this run continues by itself once it does (retry the invoice's run if it failed).`,
        ),
      );
    }
    await step.waitForEvent(`wait-for-invoice-${round}`, {
      event: INVOICE_SYNCED_EVENT,
      timeout: INVOICE_WAIT_TIMEOUT,
      if: `async.data.bindingId == "${scope.bindingId}" && async.data.magentoInvoiceId == ${magentoInvoiceId}`,
    });
  }
  return null;
}

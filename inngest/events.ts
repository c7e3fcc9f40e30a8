import { z } from "zod";
import { MAGENTO_EVENTS, type MagentoEvent } from "@/lib/magento/events";

/**
 * Events the sync functions are triggered by. One Inngest event per SyncRun; its id is derived from
 * the run (and the retry number), so a re-dispatch after a lost response never starts a second run.
 */
export const syncRequestedData = z.object({
  runId: z.uuid(),
  bindingId: z.uuid(),
  tenantId: z.uuid(),
  magentoEntityId: z.number().int().positive(),
  /** binding + Magento document: runs about the same document never execute steps concurrently */
  entityKey: z.string(),
  /** the Sage business's request budget (throttle) and serialisation key */
  sageKey: z.string(),
});
export type SyncRequestedData = z.infer<typeof syncRequestedData>;

export const syncEventName = (event: MagentoEvent) => `ledger/${event}` as const;

export const SYNC_EVENT_NAMES = MAGENTO_EVENTS.map(syncEventName);

/** Emitted when an invoice reaches Sage, so a payment or credit memo waiting for it can continue. */
export const INVOICE_SYNCED_EVENT = "ledger/invoice.synced";
export const invoiceSyncedData = z.object({ bindingId: z.uuid(), magentoInvoiceId: z.number().int().positive() });

import { NonRetriableError } from "inngest";
import { z } from "zod";
import { MAGENTO_EVENTS, type MagentoEvent } from "@/lib/magento/events";

/**
 * Every Inngest event Ledger sends or waits for: its name and the zod schema of its payload. Senders
 * build events with the helpers below (the payload is checked on the way out), and every function
 * parses its trigger's payload with the same schema at entry (`parseEventData`), so a payload that
 * does not match fails the function at once, named, instead of somewhere in a step.
 *
 * Adding an event: its name and schema here, a builder if code sends it, and its function in
 * inngest/functions/ (listed in inngest/index.ts).
 */

// ---------------------------------------------------------------------------------------------
// ledger/<magento event>: one per SyncRun. Its id is derived from the run (and the retry number),
// so a re-dispatch after a lost response never starts a second run (lib/sync/dispatch.ts).

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

export function syncRequestedEvent(event: MagentoEvent, id: string, data: SyncRequestedData) {
  return { id, name: syncEventName(event), data: syncRequestedData.parse(data) };
}

// ---------------------------------------------------------------------------------------------
// ledger/invoice.synced: an invoice reached Sage, so a payment or credit memo waiting for it can
// continue (step.waitForEvent in lib/sync/waiting.ts).

export const INVOICE_SYNCED_EVENT = "ledger/invoice.synced";
export const invoiceSyncedData = z.object({ bindingId: z.uuid(), magentoInvoiceId: z.number().int().positive() });
export type InvoiceSyncedData = z.infer<typeof invoiceSyncedData>;

export function invoiceSyncedEvent(data: InvoiceSyncedData) {
  return { name: INVOICE_SYNCED_EVENT, data: invoiceSyncedData.parse(data) };
}

// ---------------------------------------------------------------------------------------------
// ledger/sync-state.push: a run settled; push its chip to Magento's mirror (its own function, so a
// Magento outage never holds up or re-runs the Sage side).

export const SYNC_STATE_PUSH_EVENT = "ledger/sync-state.push";
export const syncStatePushData = z.object({ runId: z.uuid() });
export type SyncStatePushData = z.infer<typeof syncStatePushData>;

export function syncStatePushEvent(runId: string) {
  return { name: SYNC_STATE_PUSH_EVENT, data: syncStatePushData.parse({ runId }) };
}

// ---------------------------------------------------------------------------------------------
// ledger/bulk-retry.requested: an operator confirmed "retry everything matching this filter"
// (lib/history/bulk-retry.ts); one event per BulkRetry row.

export const BULK_RETRY_EVENT = "ledger/bulk-retry.requested";
export const bulkRetryRequested = z.object({ bulkRetryId: z.uuid(), tenantId: z.uuid() });
export type BulkRetryRequested = z.infer<typeof bulkRetryRequested>;

export function bulkRetryRequestedEvent(data: BulkRetryRequested) {
  const parsed = bulkRetryRequested.parse(data);
  return { id: `bulk-retry:${parsed.bulkRetryId}`, name: BULK_RETRY_EVENT, data: parsed };
}

// ---------------------------------------------------------------------------------------------
// ledger/alert.delivery.requested: one alert digest to one recipient over one channel
// (lib/alerts/deliver.ts). Its own function, so a mail server or webhook that is down retries
// durably and never holds up anything else.

export const ALERT_DELIVERY_EVENT = "ledger/alert.delivery.requested";
export const alertDeliveryRequested = z.object({ deliveryId: z.uuid(), tenantId: z.uuid() });
export type AlertDeliveryRequested = z.infer<typeof alertDeliveryRequested>;

export function alertDeliveryEvent(data: AlertDeliveryRequested, round = 0) {
  const parsed = alertDeliveryRequested.parse(data);
  return { id: `alert-delivery:${parsed.deliveryId}:${round}`, name: ALERT_DELIVERY_EVENT, data: parsed };
}

// ---------------------------------------------------------------------------------------------
// ledger/reconciliation.requested: compare a binding's period with Sage (lib/reconciliation), on
// demand or from the daily schedule; one event per Reconciliation row. `sageKey` is the sync runs'
// per-business key, so a reconciliation shares their concurrency slots against Sage's budget.

export const RECONCILIATION_EVENT = "ledger/reconciliation.requested";
export const reconciliationRequested = z.object({
  reconciliationId: z.uuid(),
  tenantId: z.uuid(),
  bindingId: z.uuid(),
  sageKey: z.string(),
});
export type ReconciliationRequested = z.infer<typeof reconciliationRequested>;

export function reconciliationRequestedEvent(data: ReconciliationRequested) {
  const parsed = reconciliationRequested.parse(data);
  return { id: `reconciliation:${parsed.reconciliationId}`, name: RECONCILIATION_EVENT, data: parsed };
}

// ---------------------------------------------------------------------------------------------

/**
 * A function's trigger payload, parsed with its schema. A payload that does not match can never
 * succeed however often it is retried: NonRetriableError, naming the event and the fields.
 */
export function parseEventData<S extends z.ZodType>(schema: S, event: { name?: string; data: unknown }): z.output<S> {
  const parsed = schema.safeParse(event.data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new NonRetriableError(`The ${event.name ?? "event"} payload does not match its schema (${issues}).`);
}

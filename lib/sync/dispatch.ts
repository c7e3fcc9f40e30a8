import { inngest } from "@/inngest/client";
import { syncEventName, type SyncRequestedData } from "@/inngest/events";
import type { MagentoEvent } from "@/lib/magento/events";

export interface DispatchableRun {
  id: string;
  tenantId: string;
  bindingId: string;
  event: string;
  entityType: string;
  /** bigint as stored (Magento's int unsigned); always a safe integer */
  magentoEntityId: number | bigint;
}

/**
 * The Inngest event for a run. Payments share the invoice's entity key, so an invoice and its payment
 * never execute steps at the same time. The id makes a re-dispatch (after a lost response or a crash
 * between commit and send) a no-op at the executor: one event, one function run.
 */
export function syncEventFor(run: DispatchableRun, sageConnectionId: string | null, attempt = 0) {
  const magentoEntityId = Number(run.magentoEntityId);
  const data: SyncRequestedData = {
    runId: run.id,
    bindingId: run.bindingId,
    tenantId: run.tenantId,
    magentoEntityId,
    entityKey: `${run.bindingId}:${run.entityType}:${magentoEntityId}`,
    sageKey: sageConnectionId ?? `binding:${run.bindingId}`,
  };
  return {
    id: attempt === 0 ? `run:${run.id}` : `run:${run.id}:retry:${attempt}`,
    name: syncEventName(run.event as MagentoEvent),
    data,
  };
}

/**
 * Re-send a run's LAST dispatched event (same id): a no-op at the executor when it already has it, a
 * rescue when the send was lost. Never invents a new id, which would start a second function run.
 */
export function storedEventFor(run: DispatchableRun & { inngestEventId: string | null }, sageConnectionId: string | null) {
  const event = syncEventFor(run, sageConnectionId);
  return run.inngestEventId ? { ...event, id: run.inngestEventId } : event;
}

/** Hand runs to Inngest. Throws when the executor/Inngest is unreachable (callers answer 503). */
export async function dispatchRuns(events: ReturnType<typeof syncEventFor>[]): Promise<string[]> {
  if (!events.length) return [];
  const res = await inngest.send(events);
  return res.ids;
}

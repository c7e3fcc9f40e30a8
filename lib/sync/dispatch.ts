import { db, hotQuery, type Prisma } from "@/lib/db";
import { inngest } from "@/lib/jobs/client";
import { syncRequestedEvent } from "@/lib/jobs/events";
import { childLog } from "@/lib/log";
import type { MagentoEvent } from "@/lib/magento/events";
import { currentPolicy } from "@/lib/policy/store";

/**
 * Handing sync runs to Inngest: the event of a run, sending it, and starting the runs a binding kept
 * while it waited for Sage. Intake, retries, the sweep, lease recovery and Connect Sage all dispatch
 * through here.
 */

const log = childLog({ component: "sync.dispatch" });

type Tx = Prisma.TransactionClient;

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
  return syncRequestedEvent(run.event as MagentoEvent, attempt === 0 ? `run:${run.id}` : `run:${run.id}:retry:${attempt}`, {
    runId: run.id,
    bindingId: run.bindingId,
    tenantId: run.tenantId,
    magentoEntityId,
    entityKey: `${run.bindingId}:${run.entityType}:${magentoEntityId}`,
    sageKey: sageConnectionId ?? `binding:${run.bindingId}`,
  });
}

export type SyncEvent = ReturnType<typeof syncEventFor>;

/**
 * Re-send a run's LAST dispatched event (same id): a no-op at the executor when it already has it, a
 * rescue when the send was lost. Never invents a new id, which would start a second function run.
 */
export function storedEventFor(run: DispatchableRun & { inngestEventId: string | null }, sageConnectionId: string | null): SyncEvent {
  const event = syncEventFor(run, sageConnectionId);
  return run.inngestEventId ? { ...event, id: run.inngestEventId } : event;
}

/**
 * Hand runs to Inngest, then strike them from the outbox (run_outbox, where intake, a retry or a
 * recovery put them in the transaction that queued them). Only the row of the event just sent goes: a
 * run handed to a newer event meanwhile stays owed. Throws when the executor/Inngest is unreachable,
 * and the rows stay for the relay's recovery and the sweep.
 */
export async function dispatchRuns(events: SyncEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const ids = await sendEvents(events);
  const runIds = events.map((e) => e.data.runId);
  const eventIds = events.map((e) => e.id);
  await hotQuery(
    "runs_dispatched",
    `DELETE FROM run_outbox o USING unnest($1::uuid[], $2::text[]) AS s(run_id, event_id)
     WHERE o.run_id = s.run_id AND o.event_id = s.event_id`,
    [runIds, eventIds],
  );
  return ids;
}

/** The bare send, for callers that send inside their own transaction. */
async function sendEvents(events: SyncEvent[]): Promise<string[]> {
  return (await inngest.send(events)).ids;
}

/**
 * Put a run's new event in the outbox, in the transaction that queues the run with it: if the send
 * after commit is lost, the sweep finds it there.
 */
export async function oweEvent(tx: Tx, runId: string, eventId: string): Promise<void> {
  await tx.runOutbox.upsert({ where: { runId }, create: { runId, eventId }, update: { eventId, createdAt: new Date() } });
}

/**
 * Strike the outbox rows of runs that have left `queued`: Inngest evidently has their event (a crash
 * between its send and the strike), or an operator settled them. Once per scan, before sending what is
 * owed — not per page of it: during an outage the outbox holds every run since.
 */
export async function forgetSettledRuns(): Promise<number> {
  return db().$executeRaw`DELETE FROM run_outbox o USING sync_runs r WHERE r.id = o.run_id AND r.status <> 'queued'`;
}

/**
 * Send what the outbox still owes, older than `olderThanMs` (younger rows are most likely still on
 * their way from the instance that stored them; sending twice is harmless, the event id makes the
 * second a no-op), oldest first, at most `limit`. Returns how many were sent.
 */
export async function dispatchUndispatched({ olderThanMs = 10_000, limit = 500 } = {}): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  const owed = await db().runOutbox.findMany({
    where: { createdAt: { lt: cutoff }, run: { status: "queued", binding: { status: "active" } } },
    include: { run: { include: { binding: { select: { sageConnectionId: true } } } } },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  if (owed.length) await dispatchRuns(owed.map(({ run }) => storedEventFor(run, run.binding.sageConnectionId)));
  return owed.length;
}

const WAITING_BATCH = 200;

/**
 * Starts the runs a binding kept while it waited for Sage (status `waiting`, never dispatched).
 * Called once the binding turns active (Connect Sage, and the sweep as a safety net). Each run takes
 * the binding's policy as it is now — the merchant may have reviewed settings since the webhook
 * arrived. Safe to call twice: the event ids are per run, so a second send of the same run is a
 * no-op at Inngest.
 */
export async function dispatchWaitingRuns(bindingId: string): Promise<number> {
  const binding = await db().binding.findUnique({ where: { id: bindingId } });
  if (!binding || binding.status !== "active") return 0;
  let total = 0;
  for (;;) {
    const dispatched = await db().$transaction(async (tx) => dispatchWaitingBatch(tx, binding.id, binding.sageConnectionId), {
      maxWait: 10_000,
      timeout: 60_000,
    });
    total += dispatched;
    if (dispatched < WAITING_BATCH) break;
  }
  if (total) log.info({ bindingId, runs: total }, "dispatched runs that waited for Sage");
  return total;
}

async function dispatchWaitingBatch(tx: Tx, bindingId: string, sageConnectionId: string | null): Promise<number> {
  const runs = await tx.syncRun.findMany({
    where: { bindingId, status: "waiting", inngestEventId: null },
    orderBy: { createdAt: "asc" },
    take: WAITING_BATCH,
  });
  if (runs.length === 0) return 0;
  const policy = await currentPolicy(bindingId, tx);
  const events = runs.map((run) => syncEventFor(run, sageConnectionId));
  for (const [i, run] of runs.entries()) {
    await tx.syncRun.update({
      where: { id: run.id },
      data: {
        status: "queued",
        // No outbox row: the send happens inside this transaction, and a failed send rolls it back.
        inngestEventId: events[i].id,
        policyVersion: policy.version,
        policySnapshot: policy.settings as unknown as Prisma.InputJsonValue,
      },
    });
  }
  // Sent inside the transaction: if the send fails, the runs stay `waiting` for the next attempt.
  try {
    await sendEvents(events);
  } catch (e) {
    log.warn(
      { err: e instanceof Error ? e.message : String(e), bindingId, events: events.length },
      "dispatching runs that waited for Sage failed",
    );
    throw e;
  }
  return runs.length;
}

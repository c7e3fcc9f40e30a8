import { childLog } from "@/lib/log";
import { dispatchRuns, dispatchUndispatched, forgetSettledRuns, type SyncEvent } from "@/lib/sync/dispatch";

/**
 * After the commit: hands accepted runs to Inngest off the request path. Webhooks answer 202 once
 * their runs are durable; their events queue here and leave in one batch per round trip, so 32
 * concurrent deliveries cost a few sends, not 32, and a slow Inngest slows nothing but this queue.
 *
 * Nothing here needs to survive the process: a run whose event never left is still `queued` with its
 * row in the outbox (run_outbox), written in the same statement as the run. When a send fails, this instance looks for such runs again
 * with growing pauses until a send succeeds (runs start once Inngest is back); a crash between
 * commit and send is covered by the same scan on the next start and by the sweep's cron.
 */

const log = childLog({ component: "intake.relay" });
const MAX_BATCH = 500;
/** Beyond this many waiting events (Inngest hanging), new ones are left to recovery's scan of the database. */
const MAX_QUEUE = 20_000;
const RECOVER_FIRST_MS = 1_000;
const RECOVER_MAX_MS = 30_000;
/** A process that just started looks once for runs an earlier process committed but never sent. */
const STARTUP_SCAN_MS = 10_000;
/**
 * Sends leave at most this often: a delivery after a quiet spell goes at once, and under load the
 * events of a window share one send. Each send costs the instance a request to Inngest (headers, body,
 * retry bookkeeping) and Inngest one request to take in, whether it carries 3 events or 60; at 32
 * concurrent deliveries, sending whenever the previous send returned meant one send per intake batch.
 */
const MIN_SEND_INTERVAL_MS = 15;

interface State {
  queue: Map<string, SyncEvent>;
  sending: boolean;
  /** When the last send left (performance.now()). */
  lastSendAt: number;
  recoverTimer: NodeJS.Timeout | null;
  recoverDelayMs: number;
  startupScanned: boolean;
}

const g = globalThis as unknown as { __ledgerIntakeRelay?: State };
const state = (g.__ledgerIntakeRelay ??= {
  queue: new Map(),
  sending: false,
  lastSendAt: -Infinity,
  recoverTimer: null,
  recoverDelayMs: RECOVER_FIRST_MS,
  startupScanned: false,
});

/** Queue committed runs' events; returns at once. Events with the same id are sent once. */
export function sendAfterCommit(events: SyncEvent[]): void {
  if (!state.startupScanned) {
    state.startupScanned = true;
    scheduleRecovery(STARTUP_SCAN_MS);
  }
  for (const e of events) {
    if (state.queue.size >= MAX_QUEUE) {
      scheduleRecovery(state.recoverDelayMs);
      break;
    }
    state.queue.set(e.id, e);
  }
  if (!state.sending && state.queue.size) {
    state.sending = true;
    setImmediate(() => void drain());
  }
}

async function drain(): Promise<void> {
  try {
    while (state.queue.size) {
      const wait = state.lastSendAt + MIN_SEND_INTERVAL_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      state.lastSendAt = performance.now();
      const batch = [...state.queue.values()].slice(0, MAX_BATCH);
      for (const e of batch) state.queue.delete(e.id);
      try {
        await dispatchRuns(batch);
        state.recoverDelayMs = RECOVER_FIRST_MS;
      } catch (e) {
        // The runs stay queued, and owed in the outbox; recovery finds them there.
        log.warn({ err: e instanceof Error ? e.message : String(e), events: batch.length }, "sending accepted runs failed; will retry");
        scheduleRecovery(state.recoverDelayMs);
      }
    }
  } finally {
    state.sending = false;
  }
}

function scheduleRecovery(delayMs: number): void {
  if (state.recoverTimer) return;
  state.recoverTimer = setTimeout(() => void recover(), delayMs);
  state.recoverTimer.unref();
}

/** Send every committed-but-unsent run (from any instance); back off while Inngest stays away. */
async function recover(): Promise<void> {
  state.recoverTimer = null;
  try {
    let sent = 0;
    await forgetSettledRuns();
    for (;;) {
      const n = await dispatchUndispatched({ olderThanMs: 0, limit: MAX_BATCH });
      sent += n;
      if (n < MAX_BATCH) break;
    }
    state.recoverDelayMs = RECOVER_FIRST_MS;
    if (sent) log.info({ runs: sent }, "sent runs whose first send had failed");
  } catch (e) {
    state.recoverDelayMs = Math.min(state.recoverDelayMs * 2, RECOVER_MAX_MS);
    log.warn({ err: e instanceof Error ? e.message : String(e), retryInMs: state.recoverDelayMs }, "Inngest still unreachable");
    scheduleRecovery(state.recoverDelayMs);
  }
}

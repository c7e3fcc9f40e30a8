import { createHash } from "node:crypto";
import { encodeTime, ulid } from "ulid";
import { evalCondition } from "./cel.ts";
import type { Db } from "./db.ts";
import { parseDuration } from "./duration.ts";
import { finishRun } from "./lifecycle.ts";
import { createRun, type FnRow, loadFunctions } from "./runs.ts";
import { settleStep } from "./store.ts";
import type { EventPayload, ExecutorContext, IncomingEvent, StepResult } from "./types.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Event ids derived from the SDK's `x-inngest-event-id-seed` ("<ms>,<base64 entropy>"), so a
 * retried `send()` carries the same ids and is deduplicated.
 */
export function seededEventId(seed: string, index: number): string | null {
  const [msText, entropy] = seed.split(",");
  const ms = Number(msText);
  if (!Number.isSafeInteger(ms) || ms <= 0 || !entropy) return null;
  const digest = createHash("sha256").update(`${entropy}:${index}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
  let random = "";
  for (let i = 0; i < 16; i++) {
    random = CROCKFORD[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return encodeTime(ms, 10) + random;
}

export function normaliseEvents(incoming: IncomingEvent[], seed: string | null): EventPayload[] {
  return incoming.map((e, i) => {
    const { id, name, data, ts, ...rest } = e;
    return {
      ...rest,
      id: id ?? (seed ? seededEventId(seed, i) : null) ?? ulid(),
      name,
      data: data ?? {},
      ts: ts ?? Date.now(),
    };
  });
}

export function triggerMatches(fn: FnRow, event: EventPayload): boolean {
  return fn.config.triggers.some((t) => {
    if (!("event" in t)) return false;
    const nameOk = t.event.endsWith("/*") ? event.name.startsWith(t.event.slice(0, -1)) : t.event === event.name;
    return nameOk && (t.expression === undefined || evalCondition(t.expression, { event }));
  });
}

/** Stores the event; `false` when the same id was received in the last 24 h (dedupe). */
async function storeEvent(db: Db, event: EventPayload): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO inngest_local.events (id, name, payload) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, payload = EXCLUDED.payload, received_at = now()
       WHERE inngest_local.events.received_at < now() - interval '24 hours'
     RETURNING id`,
    [event.id, event.name, JSON.stringify(event)],
  );
  return (res.rowCount ?? 0) > 0;
}

interface WaitRow {
  run_id: string;
  step_id: string;
  kind: string;
  expr: string | null;
  run_event: Record<string, unknown>;
}

function waitResult(kind: string, event: EventPayload): StepResult {
  if (kind !== "invoke") return { data: event };
  return event.data.error !== undefined && event.data.error !== null ? { error: event.data.error } : { data: event.data.result ?? null };
}

/** Resumes waitForEvent / invoke waits matched by this event. Deleting the row wins races (§3.4-8). */
async function resumeWaits(db: Db, event: EventPayload): Promise<void> {
  const waits = await db.query<WaitRow>(
    `SELECT w.run_id, w.step_id, w.kind, w.expr, r.events -> 0 AS run_event
       FROM inngest_local.waits w JOIN inngest_local.runs r ON r.id = w.run_id
      WHERE w.event = $1 AND w.expires_at > now()`,
    [event.name],
  );
  for (const w of waits.rows) {
    if (w.expr !== null && !evalCondition(w.expr, { event: w.run_event, async: event })) continue;
    const won = await db.query("DELETE FROM inngest_local.waits WHERE run_id = $1 AND step_id = $2", [w.run_id, w.step_id]);
    if (won.rowCount === 0) continue;
    await settleStep(db, w.run_id, w.step_id, waitResult(w.kind, event), { op: w.kind === "invoke" ? "InvokeFunction" : "WaitForEvent" });
  }
}

async function applyCancellations(db: Db, ctx: ExecutorContext, fns: FnRow[], event: EventPayload): Promise<EventPayload[]> {
  const emitted: EventPayload[] = [];
  for (const fn of fns) {
    const rules = (fn.config.cancel ?? []).filter((c) => c.event === event.name);
    if (rules.length === 0) continue;
    const runs = await db.query<{ id: string; run_event: Record<string, unknown>; age_ms: number }>(
      `SELECT id, events -> 0 AS run_event, EXTRACT(EPOCH FROM now() - created_at) * 1000 AS age_ms
         FROM inngest_local.runs WHERE fn_id = $1 AND status IN ('Queued', 'Running')`,
      [fn.id],
    );
    for (const run of runs.rows) {
      const hit = rules.some((rule) => {
        const timeout = rule.timeout === undefined ? null : parseDuration(rule.timeout);
        if (timeout !== null && Number(run.age_ms) > timeout) return false;
        return rule.if === undefined || evalCondition(rule.if, { event: run.run_event, async: event });
      });
      if (!hit) continue;
      ctx.log.info({ runId: run.id, fnId: fn.id, eventId: event.id }, "inngest-local: run cancelled by event");
      emitted.push(...(await finishRun(db, run.id, { status: "Cancelled", reason: `cancelOn event ${event.name} (${event.id})` })));
    }
  }
  return emitted;
}

/**
 * Event intake, in order: dedupe by id, resume matching waits, apply cancelOn, start triggered
 * runs. Internal events produced on the way (cancellations) are processed in the same
 * transaction. Returns the ids of the events given.
 */
export async function ingestEvents(db: Db, ctx: ExecutorContext, events: EventPayload[]): Promise<string[]> {
  const fns = await loadFunctions(db);
  const work = [...events];
  while (work.length > 0) {
    const event = work.shift() as EventPayload;
    if (!(await storeEvent(db, event))) {
      ctx.log.info({ eventId: event.id, name: event.name }, "inngest-local: duplicate event id ignored");
      continue;
    }
    await resumeWaits(db, event);
    work.push(...(await applyCancellations(db, ctx, fns, event)));
    for (const fn of fns) {
      if (triggerMatches(fn, event)) await createRun(db, ctx, fn, [event]);
    }
  }
  return events.map((e) => e.id);
}

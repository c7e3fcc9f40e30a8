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

/**
 * Stores a batch of events in one statement; returns the ids that were new (or older than the 24 h
 * dedupe window). An id repeated inside the batch is stored once: its later copies are duplicates.
 */
async function storeEvents(db: Db, events: EventPayload[]): Promise<Set<string>> {
  const firsts = new Map<string, EventPayload>();
  for (const e of events) if (!firsts.has(e.id)) firsts.set(e.id, e);
  const rows = [...firsts.values()];
  const res = await db.query<{ id: string }>(
    `INSERT INTO inngest_local.events (id, name, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, payload = EXCLUDED.payload, received_at = now()
       WHERE inngest_local.events.received_at < now() - interval '24 hours'
     RETURNING id`,
    [rows.map((e) => e.id), rows.map((e) => e.name), rows.map((e) => JSON.stringify(e))],
  );
  return new Set(res.rows.map((r) => r.id));
}

interface WaitRow {
  run_id: string;
  event: string;
  step_id: string;
  kind: string;
  expr: string | null;
  run_event: Record<string, unknown>;
}

function waitResult(kind: string, event: EventPayload): StepResult {
  if (kind !== "invoke") return { data: event };
  return event.data.error !== undefined && event.data.error !== null ? { error: event.data.error } : { data: event.data.result ?? null };
}

/** The open waits for any of these event names, read once per batch. */
async function openWaits(db: Db, names: string[]): Promise<WaitRow[]> {
  if (names.length === 0) return [];
  const waits = await db.query<WaitRow & { event: string }>(
    `SELECT w.run_id, w.step_id, w.kind, w.expr, w.event, r.events -> 0 AS run_event
       FROM inngest_local.waits w JOIN inngest_local.runs r ON r.id = w.run_id
      WHERE w.event = ANY($1::text[]) AND w.expires_at > now()`,
    [names],
  );
  return waits.rows;
}

/**
 * Resumes waitForEvent / invoke waits matched by this event. Deleting the row wins races (§3.4-8),
 * including against an earlier event of the same batch that matched the same wait.
 */
async function resumeWaits(db: Db, event: EventPayload, waits: WaitRow[]): Promise<void> {
  for (const w of waits) {
    if (w.event !== event.name) continue;
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
 * runs. A batch is stored by one statement and its waits read by one query; internal events
 * produced on the way (cancellations) form the next batch of the same transaction. Returns the ids
 * of the events given.
 */
export async function ingestEvents(db: Db, ctx: ExecutorContext, events: EventPayload[]): Promise<string[]> {
  const fns = await loadFunctions(db);
  let work = events;
  while (work.length > 0) {
    const fresh = await storeEvents(db, work);
    const waits = await openWaits(db, [...new Set(work.filter((e) => fresh.has(e.id)).map((e) => e.name))]);
    const next: EventPayload[] = [];
    for (const event of work) {
      if (!fresh.delete(event.id)) {
        ctx.log.info({ eventId: event.id, name: event.name }, "inngest-local: duplicate event id ignored");
        continue;
      }
      await resumeWaits(db, event, waits);
      next.push(...(await applyCancellations(db, ctx, fns, event)));
      for (const fn of fns) {
        if (triggerMatches(fn, event)) await createRun(db, ctx, fn, [event]);
      }
    }
    work = next;
  }
  return events.map((e) => e.id);
}

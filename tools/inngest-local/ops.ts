import { ulid } from "ulid";
import { z } from "zod";
import type { CallOutcome } from "./call.ts";
import { maxAttempts } from "./config.ts";
import type { Db } from "./db.ts";
import { resolveDeadline } from "./duration.ts";
import { ingestEvents } from "./intake.ts";
import { finishRun, type RunOutcome } from "./lifecycle.ts";
import { createRun, type FnRow, loadFunction } from "./runs.ts";
import { addPending, enqueue, hasStepOrPending, type LockedRun, settleStep } from "./store.ts";
import { type EventPayload, type ExecutorContext, internalEvents } from "./types.ts";

/** An op in a 206 response (`OutgoingOp` in the SDK). Unknown fields are kept but ignored. */
const opSchema = z.looseObject({
  id: z.string().min(1),
  op: z.string().min(1),
  name: z.string().optional(),
  displayName: z.string().optional(),
  opts: z.record(z.string(), z.unknown()).nullish(),
  data: z.unknown().optional(),
  error: z.unknown().optional(),
});
type Op = z.infer<typeof opSchema>;

export interface ClaimedItem {
  id: string;
  run_id: string;
  kind: string;
  step_id: string;
  attempt: number;
  net_failures: number;
  lease_token: string;
}

interface Handling {
  db: Db;
  ctx: ExecutorContext;
  run: LockedRun;
  fn: FnRow;
  item: ClaimedItem;
}

const FAR_FUTURE = new Date("9999-01-01T00:00:00Z");

export function backoffMs(ctx: ExecutorContext, attempt: number): number {
  const base = Math.min(ctx.opts.retryBaseMs * 2 ** attempt, ctx.opts.retryMaxMs);
  return Math.round(base * (1 + Math.random() * 0.2));
}

/** `retry-after` is seconds (RetryAfterError with a duration) or an ISO date (with a Date). */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function end(h: Handling, outcome: RunOutcome): Promise<void> {
  if (outcome.status === "Failed") h.ctx.log.warn({ runId: h.run.id, fnId: h.fn.id, error: outcome.error }, "inngest-local: run failed");
  const events = await finishRun(h.db, h.run.id, outcome);
  await ingestEvents(h.db, h.ctx, events);
}

/**
 * Retries the same call after backoff (or the SDK's `retry-after`), or runs `exhausted` once
 * the function's attempts are used up.
 */
async function retryOr(h: Handling, stepId: string, retryAfter: string | null, exhausted: () => Promise<void>): Promise<void> {
  const next = h.item.attempt + 1;
  if (next >= maxAttempts(h.fn.config)) {
    await exhausted();
    return;
  }
  const delay = retryAfterMs(retryAfter) ?? backoffMs(h.ctx, h.item.attempt);
  await enqueue(h.db, { runId: h.run.id, kind: "call", stepId, attempt: next, ckeys: h.run.ckeys, runAt: new Date(Date.now() + delay) });
}

async function planStep(h: Handling, op: Op): Promise<void> {
  if (await hasStepOrPending(h.db, h.run.id, op.id)) return;
  await addPending(h.db, h.run.id, op.id, op.op, op.displayName ?? op.name);
  await enqueue(h.db, { runId: h.run.id, kind: "call", stepId: op.id, ckeys: h.run.ckeys });
}

async function sleep(h: Handling, op: Op): Promise<void> {
  if (await hasStepOrPending(h.db, h.run.id, op.id)) return;
  const spec = typeof op.opts?.duration === "string" ? op.opts.duration : (op.name ?? "");
  const at = resolveDeadline(spec, Date.now());
  if (at === null) throw new Error(`Sleep op ${op.id} has no usable duration ("${spec}")`);
  await addPending(h.db, h.run.id, op.id, op.op, op.displayName);
  await enqueue(h.db, { runId: h.run.id, kind: "sleep", stepId: op.id, runAt: new Date(at) });
}

async function addWait(h: Handling, op: Op, kind: string, event: string, expr: string | null, timeout: unknown): Promise<void> {
  const at = typeof timeout === "string" ? resolveDeadline(timeout, Date.now()) : null;
  await addPending(h.db, h.run.id, op.id, op.op, op.displayName);
  await h.db.query(
    `INSERT INTO inngest_local.waits (run_id, step_id, kind, event, expr, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (run_id, step_id) DO NOTHING`,
    [h.run.id, op.id, kind, event, expr, at === null ? FAR_FUTURE : new Date(at)],
  );
  if (at !== null) await enqueue(h.db, { runId: h.run.id, kind: "wait-timeout", stepId: op.id, runAt: new Date(at) });
}

async function waitForEvent(h: Handling, op: Op): Promise<void> {
  if (await hasStepOrPending(h.db, h.run.id, op.id)) return;
  const event = typeof op.opts?.event === "string" ? op.opts.event : op.name;
  if (!event) throw new Error(`WaitForEvent op ${op.id} names no event`);
  const expr = typeof op.opts?.if === "string" ? op.opts.if : null;
  await addWait(h, op, "event", event, expr, op.opts?.timeout);
}

const invokeOpts = z.object({
  function_id: z.string().min(1),
  payload: z.looseObject({ data: z.record(z.string(), z.unknown()).optional() }).optional(),
  timeout: z.string().optional(),
});

/** `step.invoke`: start the child run and wait for its `inngest/function.finished`. */
async function invoke(h: Handling, op: Op): Promise<void> {
  if (await hasStepOrPending(h.db, h.run.id, op.id)) return;
  const opts = invokeOpts.parse(op.opts ?? {});
  const child = await loadFunction(h.db, opts.function_id);
  if (!child) {
    await settleStep(
      h.db,
      h.run.id,
      op.id,
      { error: { name: "Error", message: `invoked function "${opts.function_id}" is not registered` } },
      { op: op.op, name: op.displayName },
    );
    return;
  }
  const childEvent: EventPayload = {
    id: ulid(),
    name: internalEvents.invoked,
    data: { ...(opts.payload?.data ?? {}), _inngest: { source_fn_id: h.fn.id, source_run_id: h.run.id, invoke_step_id: op.id } },
    ts: Date.now(),
  };
  await h.db.query("INSERT INTO inngest_local.events (id, name, payload) VALUES ($1, $2, $3)", [
    childEvent.id,
    childEvent.name,
    JSON.stringify(childEvent),
  ]);
  const childRunId = await createRun(h.db, h.ctx, child, [childEvent]);
  if (childRunId === null) {
    await settleStep(
      h.db,
      h.run.id,
      op.id,
      { error: { name: "Error", message: `invoked function "${opts.function_id}" skipped the run (idempotency)` } },
      { op: op.op, name: op.displayName },
    );
    return;
  }
  await addWait(h, op, "invoke", internalEvents.finished, `async.data.run_id == "${childRunId}"`, opts.timeout);
}

/** Applies the ops of a 206 response. Returns once the run is finished or everything is scheduled. */
async function applyOps(h: Handling, ops: Op[], headers: Headers): Promise<void> {
  if (ops.length > 1 && !h.run.disable_immediate) {
    await h.db.query("UPDATE inngest_local.runs SET disable_immediate = true WHERE id = $1", [h.run.id]);
  }
  for (const op of ops) {
    const info = { op: op.op, name: op.displayName ?? op.name };
    switch (op.op) {
      case "StepRun":
      case "Step":
        await settleStep(h.db, h.run.id, op.id, { data: op.data ?? null }, info);
        break;
      case "StepError":
        // Retry with this step's own id: after parallelism a `stepId=step` retry would only re-plan it.
        await addPending(h.db, h.run.id, op.id, op.op, info.name);
        await retryOr(h, op.id, headers.get("retry-after"), () =>
          // Only reached when the SDK did not turn the last attempt into StepFailed itself.
          settleStep(h.db, h.run.id, op.id, { error: op.error ?? null }, info).then(() => undefined),
        );
        break;
      case "StepFailed":
        await settleStep(h.db, h.run.id, op.id, { error: op.error ?? null }, info);
        break;
      case "StepPlanned":
        await planStep(h, op);
        break;
      case "Sleep":
        await sleep(h, op);
        break;
      case "WaitForEvent":
        await waitForEvent(h, op);
        break;
      case "InvokeFunction":
        await invoke(h, op);
        break;
      case "RunComplete":
        await end(h, { status: "Completed", output: op.data ?? null });
        return;
      default:
        await end(h, {
          status: "Failed",
          error: { name: "Error", message: `inngest-local does not implement opcode "${op.op}" (step ${op.id})` },
        });
        return;
    }
  }
}

/** Turns the outcome of one SDK call into run state, inside the claim's transaction. */
export async function handleCallOutcome(
  db: Db,
  ctx: ExecutorContext,
  run: LockedRun,
  fn: FnRow | null,
  item: ClaimedItem,
  outcome: CallOutcome,
): Promise<void> {
  if (outcome.kind === "network" || fn === null) {
    const message = outcome.kind === "network" ? outcome.message : "function not registered";
    if (item.net_failures + 1 > ctx.opts.maxNetworkRetries) {
      const events = await finishRun(db, run.id, {
        status: "Failed",
        error: { name: "Error", message: `app unreachable after ${item.net_failures + 1} tries: ${message}` },
      });
      await ingestEvents(db, ctx, events);
      return;
    }
    ctx.log.warn({ runId: run.id, stepId: item.step_id, error: message }, "inngest-local: call failed; retrying");
    await enqueue(db, {
      runId: run.id,
      kind: "call",
      stepId: item.step_id,
      attempt: item.attempt,
      netFailures: item.net_failures + 1,
      ckeys: run.ckeys,
      runAt: new Date(Date.now() + backoffMs(ctx, Math.min(item.net_failures, 4))),
    });
    return;
  }
  const h: Handling = { db, ctx, run, fn, item };
  const version = Number(outcome.headers.get("x-inngest-req-version"));
  if (Number.isInteger(version) && version > 0 && version !== run.req_version) {
    await db.query("UPDATE inngest_local.runs SET req_version = $2 WHERE id = $1", [run.id, version]);
  }
  const noRetry = outcome.headers.get("x-inngest-no-retry") === "true";
  if (outcome.status === 200) {
    await end(h, { status: "Completed", output: outcome.body });
  } else if (outcome.status === 206) {
    const ops = z.array(opSchema).safeParse(Array.isArray(outcome.body) ? outcome.body : [outcome.body]);
    if (!ops.success) {
      await end(h, { status: "Failed", error: { name: "Error", message: `inngest-local: malformed 206 response: ${ops.error.message}` } });
      return;
    }
    await applyOps(h, ops.data, outcome.headers);
  } else if (noRetry || outcome.status === 400) {
    await end(h, { status: "Failed", error: outcome.body });
  } else {
    ctx.log.warn(
      { runId: run.id, status: outcome.status, attempt: item.attempt, body: outcome.text.slice(0, 500) },
      "inngest-local: retriable call error",
    );
    await retryOr(h, item.step_id, outcome.headers.get("retry-after"), () => end(h, { status: "Failed", error: outcome.body }));
  }
}

import { canonicalJson, sign } from "@/tools/inngest-local/signing";
import { executorAuth } from "@/test/support/inngest";

/**
 * Test-only: calls /api/inngest the way an executor does (inngest-protocol: `steps` memo, `ctx.stack`,
 * `x-inngest-signature`), one call at a time, so a test can hand Ledger memoised step outputs of its
 * choosing — a forged replay (unsigned, or with the wrong key) or a tampered memo signed with the real
 * key — and read the memoised steps of real runs from the embedded executor's API.
 */

export type StepResult = { data: unknown } | { error: unknown };

export interface Op {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
}

export interface CallBody {
  event: Record<string, unknown>;
  steps: Record<string, StepResult>;
  stack: string[];
  runId: string;
}

export interface Answer {
  status: number;
  text: string;
  ops: Op[];
}

/** POST one call. `key`: sign with it; null: send unsigned. */
export async function callServe(serveUrl: string, fnId: string, body: CallBody, key: string | null): Promise<Answer> {
  const payload = canonicalJson({
    event: body.event,
    events: [body.event],
    steps: body.steps,
    ctx: {
      run_id: body.runId,
      attempt: 0,
      max_attempts: 11,
      disable_immediate_execution: false,
      use_api: false,
      stack: { stack: body.stack, current: body.stack.length },
    },
    version: -1,
  });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["x-inngest-signature"] = sign(payload, key);
  const res = await fetch(`${serveUrl}?fnId=${encodeURIComponent(fnId)}&stepId=step`, { method: "POST", headers, body: payload });
  const text = await res.text();
  let ops: Op[] = [];
  if (res.status === 206) {
    const parsed = JSON.parse(text) as Op | Op[];
    ops = Array.isArray(parsed) ? parsed : [parsed];
  }
  return { status: res.status, text, ops };
}

/**
 * Drives one function run to its end with signed calls, memoising each step the SDK ran. `tamper`
 * may replace a step's memoised result before the next call (a forged or corrupted memo).
 */
export async function driveRun(
  serveUrl: string,
  fnId: string,
  start: { event: Record<string, unknown>; runId: string },
  key: string,
  tamper: (name: string, result: StepResult) => StepResult = (_n, r) => r,
): Promise<{ calls: Answer[]; steps: Record<string, StepResult>; names: Record<string, string> }> {
  const steps: Record<string, StepResult> = {};
  const names: Record<string, string> = {};
  const stack: string[] = [];
  const calls: Answer[] = [];
  for (let i = 0; i < 40; i++) {
    const answer = await callServe(serveUrl, fnId, { event: start.event, steps, stack, runId: start.runId }, key);
    calls.push(answer);
    if (answer.status !== 206) return { calls, steps, names };
    for (const op of answer.ops) {
      if (!["StepRun", "Step", "StepError", "StepFailed"].includes(op.op))
        throw new Error(`hand executor: unexpected op ${op.op} (${op.displayName ?? op.name})`);
      const name = op.displayName ?? op.name ?? op.id;
      names[op.id] = name;
      steps[op.id] = tamper(name, op.op === "StepRun" || op.op === "Step" ? { data: op.data ?? null } : { error: op.error ?? null });
      stack.push(op.id);
    }
  }
  throw new Error("hand executor: the run did not end within 40 calls");
}

export interface ExecutorRunView {
  run_id: string;
  function_id: string;
  status: string;
  steps: { id: string; name: string | null; op: string; result: StepResult }[];
}

/** A real run's memoised steps, from the embedded executor's read API (signed mode: bearer key). */
export async function executorRunForEvent(
  executorUrl: string,
  eventId: string,
): Promise<{ event: Record<string, unknown>; run: ExecutorRunView }> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${executorUrl}${path}`, { headers: executorAuth() });
    if (res.status !== 200) throw new Error(`executor GET ${path}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: T }).data;
  };
  const event = await get<Record<string, unknown>>(`/v1/events/${encodeURIComponent(eventId)}`);
  const [first] = await get<{ run_id: string }[]>(`/v1/events/${encodeURIComponent(eventId)}/runs`);
  if (!first) throw new Error(`no executor run for event ${eventId}`);
  return { event, run: await get<ExecutorRunView>(`/v1/runs/${first.run_id}`) };
}

import type { Db } from "./db.ts";
import { maxAttempts } from "./config.ts";
import type { FnRow } from "./runs.ts";
import { canonicalJson, sign, verify } from "./signing.ts";
import { loadSteps, type LockedRun } from "./store.ts";
import type { ExecutorContext } from "./types.ts";

/** What came back from one call to the SDK's serve route. */
export type CallOutcome =
  { kind: "response"; status: number; headers: Headers; body: unknown; text: string } | { kind: "network"; message: string };

export interface CallItem {
  stepId: string;
  attempt: number;
}

/** Builds the request body exactly as the SDK's `parseFnData` reads it (async mode, no `fn_id`). */
export async function buildCallBody(db: Db, run: LockedRun, fn: FnRow, item: CallItem): Promise<Record<string, unknown>> {
  const { steps, stack } = await loadSteps(db, run.id);
  return {
    event: run.events[0],
    events: run.events,
    steps,
    ctx: {
      run_id: run.id,
      attempt: item.attempt,
      max_attempts: maxAttempts(fn.config),
      disable_immediate_execution: run.disable_immediate,
      use_api: false,
      stack: { stack, current: stack.length },
    },
    version: run.req_version ?? -1,
  };
}

export function callUrl(fn: FnRow, stepId: string): string {
  const url = new URL(fn.config.steps.step.runtime.url);
  url.searchParams.set("fnId", fn.id);
  url.searchParams.set("stepId", stepId);
  return url.toString();
}

/** POSTs one call; signs it in signed mode and checks the SDK's response signature. */
export async function callSdk(ctx: ExecutorContext, url: string, body: Record<string, unknown>, signal: AbortSignal): Promise<CallOutcome> {
  const payload = canonicalJson(body);
  const signed = ctx.opts.signingKeys.length > 0;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-server-kind": signed ? "cloud" : "dev",
  };
  if (signed) headers["x-inngest-signature"] = sign(payload, ctx.opts.signingKeys[0]);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      headers,
      body: payload,
      signal: AbortSignal.any([signal, AbortSignal.timeout(ctx.opts.requestTimeoutMs)]),
    });
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { kind: "network", message: `${(err as Error).message}${cause?.code ? ` (${cause.code})` : ""}` };
  }
  if (signed && res.status !== 401) {
    const check = verify(res.headers.get("x-inngest-signature"), text, ctx.opts.signingKeys);
    if (!check.ok) {
      return {
        kind: "response",
        status: 500,
        headers: new Headers(),
        body: { name: "Error", message: `inngest-local: SDK response signature rejected (${check.reason})` },
        text,
      };
    }
  }
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // Non-JSON bodies (a proxy's HTML error page) are kept as text for the run's error.
  }
  return { kind: "response", status: res.status, headers: res.headers, body: parsed, text };
}

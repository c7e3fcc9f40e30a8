/**
 * The vocabulary of the service's own health checks (`GET /api/ready`): one result per check, and
 * the overall verdict. Results carry codes and counts, never a URL, a host, a credential or a
 * database error's text: the endpoint is unauthenticated.
 */

export type CheckStatus = "ok" | "fail";

export interface CheckOutcome {
  status: CheckStatus;
  /** One short sentence for the operator; never connection strings or error texts. */
  detail: string;
  /** Check-specific facts (counts, names, modes). */
  [fact: string]: unknown;
}

export type CheckResult = CheckOutcome & { duration_ms: number };

export interface Readiness {
  status: "ready" | "not_ready";
  checks: Record<string, CheckResult>;
}

/** Rejects with a `timeout` error when `p` takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { code: "timeout" })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const SAFE_CODE = /^[A-Za-z0-9_]{1,40}$/;

/** A safe word for why something failed: a Node/PostgreSQL/Prisma error code, never the message. */
export function failureCode(e: unknown): string {
  // Prisma's driver adapter says what happened (DatabaseNotReachable, AuthenticationFailed, a SQLSTATE)
  // under a generic P2010 ("raw query failed").
  const adapter = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } } | null)?.meta
    ?.driverAdapterError?.cause;
  for (const c of [adapter?.originalCode, adapter?.kind]) if (typeof c === "string" && SAFE_CODE.test(c)) return c;
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && SAFE_CODE.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return e instanceof Error && e.name === "TimeoutError" ? "timeout" : "error";
}

/** Runs one check, timing it and turning a throw into a failed result with its code. */
export async function timed(run: () => Promise<CheckOutcome>, describeFailure: (code: string) => string): Promise<CheckResult> {
  const started = performance.now();
  try {
    const result = await run();
    return { ...result, duration_ms: Math.round(performance.now() - started) };
  } catch (e) {
    const code = failureCode(e);
    return { status: "fail", detail: describeFailure(code), code, duration_ms: Math.round(performance.now() - started) };
  }
}

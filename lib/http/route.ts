import { AppError, isAppError, isDatabaseError, isTransientInfraError } from "@/lib/errors";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * A JSON answer as a plain Response: the body serialised once, no NextResponse wrapper (cookies,
 * URL parsing) that an error answer never uses — the bad-token rejection is one of the hottest paths.
 */
export function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/**
 * Maps any error thrown by a route handler onto the one error vocabulary. Unknown errors become a
 * generic 500 (logged with context, never echoed); transient infrastructure failures and every other
 * database error become 503 so that machine callers (Magento's outbox) retry instead of dead-lettering
 * or retrying a 500 for days — whatever the database refused is ours to fix, never the caller's.
 */
export function errorResponse(e: unknown, context: Record<string, unknown> = {}): Response {
  if (isAppError(e)) {
    const headers: Record<string, string> = {};
    if (e.retryAfterSeconds) headers["Retry-After"] = String(e.retryAfterSeconds);
    return jsonResponse(e.toBody(), e.status, headers);
  }
  if (isTransientInfraError(e)) {
    log.warn({ ...context, err: e }, "transient infrastructure error; answering 503");
    const body = new AppError("service_unavailable", "Temporarily unavailable, please retry.").toBody();
    return jsonResponse(body, 503, { "Retry-After": "30" });
  }
  if (isDatabaseError(e)) {
    log.error({ ...context, err: e }, "database error in route handler; answering 503");
    const body = new AppError("service_unavailable", "Temporarily unavailable, please retry.").toBody();
    return jsonResponse(body, 503, { "Retry-After": "30" });
  }
  log.error({ ...context, err: e }, "unhandled error in route handler");
  return jsonResponse(new AppError("internal", "Something went wrong on our side.").toBody(), 500);
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A browser request from another site: its Origin is neither this request's host (as the proxy in
 * front forwarded it) nor LEDGER_BASE_URL's — the check Next.js applies to server actions. Machine
 * callers (Magento's outbox, scripts) send no Origin and are authenticated otherwise.
 */
export function isForeignOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (sandboxed frames, file:) and anything unparsable is nobody we know
  }
  const forwarded = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const own = [forwarded, req.headers.get("host"), new URL(env().LEDGER_BASE_URL).host].filter(Boolean);
  return !own.includes(host);
}

export interface RouteOptions {
  /**
   * Every answer is a few dozen bytes of JSON for a machine (Magento's outbox): mark it
   * `Cache-Control: no-store, no-transform`. Nothing may cache or rewrite it, and the server's gzip
   * honours no-transform: it cannot see the length of a streamed route answer, so without this it
   * compresses a 60-byte body into a bigger one, through zlib and extra socket writes, for every
   * delivery and every rejection.
   */
  tinyMachineAnswers?: boolean;
}

const NO_TRANSFORM = "no-store, no-transform";

function markNoTransform(res: Response): Response {
  if (!res.headers.has("cache-control")) res.headers.set("Cache-Control", NO_TRANSFORM);
  return res;
}

/**
 * Wrap a route handler so every error goes through `errorResponse`, and a state-changing request
 * from another site's page (a foreign Origin) is refused before the handler runs.
 */
export function route<C>(name: string, handler: Handler<C>, options: RouteOptions = {}): Handler<C> {
  const finish = options.tinyMachineAnswers ? markNoTransform : (res: Response) => res;
  return async (req, ctx) => {
    if (UNSAFE.has(req.method) && isForeignOrigin(req)) {
      log.warn({ route: name, method: req.method, origin: req.headers.get("origin") }, "cross-origin request refused");
      return finish(errorResponse(new AppError("forbidden", "Requests from another site are not accepted.")));
    }
    try {
      return finish(await handler(req, ctx));
    } catch (e) {
      return finish(errorResponse(e, { route: name, method: req.method }));
    }
  };
}

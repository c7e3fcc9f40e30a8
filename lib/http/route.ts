import { NextResponse } from "next/server";
import { AppError, isAppError, isDatabaseError, isTransientInfraError } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * Maps any error thrown by a route handler onto the one error vocabulary. Unknown errors become a
 * generic 500 (logged with context, never echoed); transient infrastructure failures and every other
 * database error become 503 so that machine callers (Magento's outbox) retry instead of dead-lettering
 * or retrying a 500 for days — whatever the database refused is ours to fix, never the caller's.
 */
export function errorResponse(e: unknown, context: Record<string, unknown> = {}): NextResponse {
  if (isAppError(e)) {
    const headers: Record<string, string> = {};
    if (e.retryAfterSeconds) headers["Retry-After"] = String(e.retryAfterSeconds);
    return NextResponse.json(e.toBody(), { status: e.status, headers });
  }
  if (isTransientInfraError(e)) {
    log.warn({ ...context, err: e }, "transient infrastructure error; answering 503");
    const body = new AppError("service_unavailable", "Temporarily unavailable, please retry.").toBody();
    return NextResponse.json(body, { status: 503, headers: { "Retry-After": "30" } });
  }
  if (isDatabaseError(e)) {
    log.error({ ...context, err: e }, "database error in route handler; answering 503");
    const body = new AppError("service_unavailable", "Temporarily unavailable, please retry.").toBody();
    return NextResponse.json(body, { status: 503, headers: { "Retry-After": "30" } });
  }
  log.error({ ...context, err: e }, "unhandled error in route handler");
  return NextResponse.json(new AppError("internal", "Something went wrong on our side.").toBody(), { status: 500 });
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** Wrap a route handler so every error goes through `errorResponse`. */
export function route<C>(name: string, handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (e) {
      return errorResponse(e, { route: name, method: req.method });
    }
  };
}

import { NextResponse } from "next/server";
import { isNextDev } from "@/lib/env";
import { childLog } from "@/lib/log";

/**
 * Only `next dev` may run the Inngest functions for unsigned callers. Everywhere else — production,
 * tests, the demo, the browser tests, benchmarks — /api/inngest executes steps with the workspace's
 * stored Sage tokens, so a caller that cannot prove it is Inngest (or the embedded executor in signed
 * mode) must never get that far: anyone could otherwise post forged memoised step outputs and make a
 * real step post them to Sage.
 *
 * Two locks: the client is pinned to cloud mode (the SDK then verifies `x-inngest-signature`, an
 * HMAC over the body with INNGEST_SIGNING_KEY, and answers 401), and this wrapper refuses a request
 * with no signature at all before the SDK reads it, whatever mode the SDK believes it is in.
 */

const log = childLog({ component: "inngest.serve" });

/** `next dev` (NODE_ENV=development) is the one mode in which the SDK's dev mode is allowed. */
export function unsignedAllowed(): boolean {
  return isNextDev();
}

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

/** Wraps a serve() handler that executes functions (POST): unsigned calls answer 401 outside `next dev`. */
export function signedOnly<H extends (...args: never[]) => unknown>(handler: H): H {
  const wrapped: Handler = async (req, ctx) => {
    if (!unsignedAllowed() && !req.headers.get("x-inngest-signature")) {
      log.warn({ method: req.method, fnId: new URL(req.url).searchParams.get("fnId") }, "unsigned call to /api/inngest refused");
      return NextResponse.json({ error: "unauthorized", message: "Calls to this endpoint must be signed by Inngest." }, { status: 401 });
    }
    return (handler as unknown as Handler)(req, ctx);
  };
  return wrapped as unknown as H;
}

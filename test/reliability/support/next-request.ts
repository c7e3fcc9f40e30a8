import "./als";
import { encode } from "next-auth/jwt";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store.js";
import type { RouteModule } from "@/test/support/route-server";

/**
 * Test-only: Next's per-request scope outside a Next server, so `auth()`, `cookies()` and
 * `headers()` behave in route handlers served by test/support/route-server.ts and in server actions
 * called directly — with a real Auth.js session cookie minted like Auth.js mints it.
 */

/** Auth.js's session cookie name when the site is served over plain http. */
export const SESSION_COOKIE = "authjs.session-token";

/** A signed-in browser's cookie: a server-side session (lib/auth/sessions.ts) and the JWT naming it. */
export async function sessionCookie(userId: string, email = "member@example.test"): Promise<string> {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET must be set");
  const { startSession } = await import("@/lib/auth/sessions");
  const sid = await startSession(userId, 3600);
  const token = await encode({ token: { sub: userId, email, sid }, secret, salt: SESSION_COOKIE, maxAge: 3600 });
  return `${SESSION_COOKIE}=${token}`;
}

/** What Next's server adds before a handler sees the request (Auth.js derives its URL from these). */
function forwarded(req: Request): Request {
  const url = new URL(req.url);
  const headers = new Headers(req.headers);
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", url.host);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(req.url, {
    method: req.method,
    headers,
    body: hasBody ? req.body : undefined,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Run `fn` as Next runs a route handler or server action for `req`. */
export function inRequestScope<T>(req: Request, fn: (req: Request) => Promise<T>): Promise<T> {
  const r = forwarded(req);
  const url = new URL(r.url);
  const store = createRequestStoreForAPI(
    r as never,
    { pathname: url.pathname, search: url.search } as never,
    { tags: [], expirationsByCacheKind: new Map() } as never,
    undefined,
    undefined as never,
    undefined,
  );
  // revalidatePath() in actions needs a work store with an incremental cache; nothing reads what it records.
  const work = { route: url.pathname, page: url.pathname, incrementalCache: {}, forceStatic: false, dynamicShouldError: false };
  return workAsyncStorage.run(work as never, () => workUnitAsyncStorage.run(store, () => fn(r)));
}

/** The request an action runs in: a browser of the signed-in user, with the tenant switcher's cookie. */
export function actionRequest(cookie: string, tenantId?: string): Request {
  return new Request("http://127.0.0.1:3000/dashboard", {
    method: "POST",
    headers: { cookie: tenantId ? `${cookie}; ledger_tenant=${tenantId}` : cookie },
  });
}

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

/** A route module whose handlers run inside the request scope. */
export function scoped(module: RouteModule): RouteModule {
  const out: Record<string, unknown> = {};
  for (const [method, handler] of Object.entries(module)) {
    out[method] =
      typeof handler === "function" ? (req: Request, ctx: unknown) => inRequestScope(req, (r) => (handler as Handler)(r, ctx)) : handler;
  }
  return out as RouteModule;
}

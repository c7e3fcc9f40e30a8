import type { ResolvedConfig } from "./config.ts";
import type { Db } from "./db.ts";
import type { Req } from "./http.ts";
import type { BusinessSeed } from "./seed.ts";

/** What an authenticated /v3.1 handler gets: the request, its business and the emulator's config. */
export interface ApiContext {
  db: Db;
  config: ResolvedConfig;
  business: BusinessSeed;
  scope: string;
  req: Req;
  /** Parsed JSON body (POST/PUT). */
  body: unknown;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  /** True when an idempotency_id replay answered instead of a create. */
  replayed?: boolean;
}

export type Handler = (ctx: ApiContext, params: Record<string, string>) => Promise<ApiResult>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under /v3.1 with `:name` segments, e.g. `/contacts/:id`. */
  pattern: string;
  handler: Handler;
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | "method" | undefined {
  const segs = path.split("/").filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const pat = route.pattern.split("/").filter(Boolean);
    if (pat.length !== segs.length) continue;
    const params: Record<string, string> = {};
    const ok = pat.every((p, i) => {
      if (p.startsWith(":")) {
        params[p.slice(1)] = decodeURIComponent(segs[i]);
        return true;
      }
      return p === segs[i];
    });
    if (!ok) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? "method" : undefined;
}

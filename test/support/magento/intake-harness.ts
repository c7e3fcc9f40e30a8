import { createServer } from "node:net";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { signingKeys, pointAppAtExecutor } from "@/test/support/inngest";
import { startRouteServer, type RouteServer, type RouteSpec } from "@/test/support/route-server";

/**
 * Test-only: Ledger's Magento-facing routes on a real HTTP port, with the embedded Inngest executor
 * as the event destination (no functions registered unless `extraRoutes` serve some), both on the
 * test database; the executor runs in signed mode (test/support/inngest.ts). The Inngest client reads
 * its environment when it is constructed, so the route modules are imported only after the executor is up.
 */

export const MAGENTO_ROUTE_FILES = {
  "/webhooks/magento/[connectionId]/[event]": "app/webhooks/magento/[connectionId]/[event]/route.ts",
  "/v1/tile/health": "app/v1/tile/health/route.ts",
  "/v1/status": "app/v1/status/route.ts",
  "/v1/tenant/disconnect": "app/v1/tenant/disconnect/route.ts",
} as const;

export interface IntakeHarness {
  url: string;
  executor: RunningExecutor;
  request(
    method: "GET" | "POST",
    path: string,
    opts?: { token?: string | null; body?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  stop(): Promise<void>;
}

export interface Answer {
  status: number;
  json: Record<string, unknown>;
  text: string;
  headers: Headers;
}

export async function callJson(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function startIntakeHarness(
  opts: { extraRoutes?: (executorUrl: string) => Promise<RouteSpec[]>; appPath?: string } = {},
): Promise<IntakeHarness> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL must be set (import @/test/support/env first)");
  // The app URL is only known once the route server listens; the executor syncs it on demand below.
  const executor = await startExecutor({
    databaseUrl,
    port: 0,
    workers: 2,
    pollMs: 100,
    retryBaseMs: 200,
    syncIntervalMs: 0,
    ...signingKeys(),
  });
  await pointAppAtExecutor(executor.url);
  const [webhook, health, status, disconnect] = await Promise.all([
    import("@/app/webhooks/magento/[connectionId]/[event]/route"),
    import("@/app/v1/tile/health/route"),
    import("@/app/v1/status/route"),
    import("@/app/v1/tenant/disconnect/route"),
  ]);
  const routes: RouteSpec[] = [
    { pattern: "/webhooks/magento/[connectionId]/[event]", module: webhook },
    { pattern: "/v1/tile/health", module: health },
    { pattern: "/v1/status", module: status },
    { pattern: "/v1/tenant/disconnect", module: disconnect },
    ...(opts.extraRoutes ? await opts.extraRoutes(executor.url) : []),
  ];
  const server: RouteServer = await startRouteServer(routes);
  if (opts.appPath) {
    const [synced] = await executor.sync(server.url + opts.appPath);
    if (!synced.ok) throw new Error(`executor could not sync the test app: ${synced.message}`);
  }
  return {
    url: server.url,
    executor,
    request(method, path, { token, body, headers = {} } = {}) {
      const h: Record<string, string> = { Accept: "application/json", ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      if (body !== undefined) h["Content-Type"] ??= "application/json";
      return callJson(server.url + path, { method, headers: h, body });
    },
    async stop() {
      await server.close();
      await executor.stop();
    },
  };
}

/** A port nothing listens on (bound once, then released): connections to it are refused. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

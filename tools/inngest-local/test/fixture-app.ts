import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import pg from "pg";
import { fixtureFunctions, refusedFunctions } from "./fixture-functions.ts";

/**
 * The fixture app: `inngest/next`'s `serve()` — the exact handlers a Next.js App Router route
 * exports — bridged onto a node http server. Run as a child process so tests can SIGKILL it.
 * Env: FIXTURE_PORT, FIXTURE_DATABASE_URL, FIXTURE_WITH_CRON, plus the usual INNGEST_* mode vars.
 */
const pool = new pg.Pool({ connectionString: process.env.FIXTURE_DATABASE_URL, max: 4 });
const main = fixtureFunctions(pool, process.env.FIXTURE_WITH_CRON === "1");
const bad = refusedFunctions();
const routes: Record<string, ReturnType<typeof serve>> = {
  "/api/inngest": serve({ client: main.inngest, functions: main.functions }),
  "/api/inngest-bad": serve({ client: bad.inngest, functions: bad.functions }),
};

async function toRequest(req: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const method = req.method ?? "GET";
  return new Request(`http://${req.headers.host}${req.url}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
}

const server = createServer(async (req, res) => {
  const route = routes[new URL(req.url ?? "/", "http://x").pathname];
  const method = req.method as "GET" | "POST" | "PUT";
  if (!route || !["GET", "POST", "PUT"].includes(method)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const response = await route[method]((await toRequest(req)) as unknown as NextRequest, undefined);
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    res.end(body);
  } catch (err) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String(err));
  }
});

server.listen(Number(process.env.FIXTURE_PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`fixture-app ready ${(server.address() as AddressInfo).port}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});

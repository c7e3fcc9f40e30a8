import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { withTx } from "./db.ts";
import { ingestEvents, normaliseEvents } from "./intake.ts";
import { getEvent, getRun, listApps, listRuns, runsForEvent } from "./read-api.ts";
import { registerApp, type SyncResult } from "./registry.ts";
import { bearerMatches } from "./signing.ts";
import { eventSchema, type ExecutorContext } from "./types.ts";
import { renderRunsPage } from "./ui.ts";

const MAX_BODY = 4 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text = type === "application/json" ? JSON.stringify(body) : String(body);
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? null : JSON.parse(text);
  } catch {
    throw Object.assign(new Error("body is not JSON"), { status: 400 });
  }
}

const eventsBody = z.union([z.array(eventSchema), eventSchema]);

export interface HttpDeps {
  ctx: ExecutorContext;
  sync: (url?: string) => Promise<Array<SyncResult & { url: string }>>;
}

/**
 * Routes: the SDK-facing endpoints (`/e/{key}`, `/fn/register`), the read API (`/v1/...`), the
 * runs page (`/`) and `POST /v0/sync` to re-sync apps on demand. Anything else answers 404 and
 * is logged, so an SDK feature that needs an unimplemented endpoint fails loudly.
 */
export function createHandler({ ctx, sync }: HttpDeps) {
  const signed = ctx.opts.signingKeys.length > 0;
  const authorised = (req: IncomingMessage) => !signed || bearerMatches(req.headers.authorization, ctx.opts.signingKeys);

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://local");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    try {
      const eventMatch = /^\/e\/([^/]+)$/.exec(path);
      if (method === "POST" && eventMatch) {
        if (signed && decodeURIComponent(eventMatch[1]) !== ctx.opts.eventKey) {
          send(res, 401, { status: 401, error: "unknown event key" });
          return;
        }
        const parsed = eventsBody.safeParse(parseJson(await readBody(req)));
        if (!parsed.success) {
          send(res, 400, { status: 400, error: `invalid events: ${parsed.error.message}` });
          return;
        }
        const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
        const seed = typeof req.headers["x-inngest-event-id-seed"] === "string" ? req.headers["x-inngest-event-id-seed"] : null;
        const events = normaliseEvents(list, seed);
        const ids = await withTx(ctx.pool, (db) => ingestEvents(db, ctx, events));
        send(res, 200, { ids, status: 200 });
        return;
      }
      if (method === "POST" && path === "/fn/register") {
        if (!authorised(req)) {
          send(res, 401, { status: 401, error: "unauthorized" });
          return;
        }
        const result = await registerApp(ctx, parseJson(await readBody(req)));
        send(res, result.status, {
          status: result.status,
          modified: true,
          skipped: false,
          ...(result.error ? { error: result.error } : {}),
        });
        return;
      }
      if (path.startsWith("/v0/") || path.startsWith("/v1/")) {
        if (!authorised(req)) {
          send(res, 401, { error: "unauthorized" });
          return;
        }
        if (method === "POST" && path === "/v0/sync") {
          const body = parseJson(await readBody(req)) as { url?: unknown } | null;
          const results = await sync(typeof body?.url === "string" ? body.url : undefined);
          send(res, results.every((r) => r.ok) ? 200 : 502, { data: results });
          return;
        }
        if (method === "GET") {
          const m = /^\/v1\/(events|runs)(?:\/([^/]+))?(?:\/(runs))?$/.exec(path);
          if (m && m[1] === "events" && m[2] && m[3] === "runs") {
            send(res, 200, { data: await runsForEvent(ctx.pool, decodeURIComponent(m[2])) });
            return;
          }
          if (m && m[1] === "events" && m[2] && !m[3]) {
            const event = await getEvent(ctx.pool, decodeURIComponent(m[2]));
            send(res, event ? 200 : 404, event ? { data: event } : { error: "event not found" });
            return;
          }
          if (m && m[1] === "runs" && m[2] && !m[3]) {
            const run = await getRun(ctx.pool, decodeURIComponent(m[2]));
            send(res, run ? 200 : 404, run ? { data: run } : { error: "run not found" });
            return;
          }
          if (m && m[1] === "runs" && !m[2]) {
            const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 50) || 50, 1), 500);
            const status = url.searchParams.get("status") ?? undefined;
            const functionId = url.searchParams.get("function_id") ?? undefined;
            send(res, 200, { data: await listRuns(ctx.pool, { limit, status, functionId }) });
            return;
          }
          if (path === "/v0/apps") {
            send(res, 200, { data: await listApps(ctx.pool) });
            return;
          }
        }
      }
      if (method === "GET" && path === "/favicon.ico") {
        res.writeHead(204).end();
        return;
      }
      if (method === "GET" && path === "/health") {
        send(res, 200, { ok: true });
        return;
      }
      if (method === "GET" && path === "/") {
        send(res, 200, await renderRunsPage(ctx.pool, url.searchParams.get("status") ?? undefined), "text/html; charset=utf-8");
        return;
      }
      ctx.log.warn({ method, path }, "inngest-local: request for an endpoint it does not implement");
      send(res, 404, { error: `inngest-local does not implement ${method} ${path}` });
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status >= 500) ctx.log.error({ err: (err as Error).message, method, path }, "inngest-local: request failed");
      send(res, status, { status, error: (err as Error).message });
    }
  };
}

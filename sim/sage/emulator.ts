import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin } from "./admin.ts";
import { handleApi } from "./api.ts";
import { resolveConfig, type ResolvedConfig, type SageEmulatorOptions } from "./config.ts";
import { createPool, ensureDatabase, migrate } from "./db.ts";
import { Faults, type FaultRule } from "./faults.ts";
import { SageError, errorReply, item, readBody, send, type Reply, type Req } from "./http.ts";
import { log } from "./log.ts";
import { authorize, consent, revoke, token } from "./oauth.ts";
import { RateLimiter } from "./ratelimit.ts";
import type { Runtime } from "./runtime.ts";
import { BUSINESSES } from "./seed.ts";
import { Stats } from "./stats.ts";
import { TokenStore } from "./tokens.ts";
import { handleUi } from "./ui/pages.ts";

export interface SageEmulator {
  url: string;
  port: number;
  config: ResolvedConfig;
  stats: Stats;
  faults: Faults;
  businesses: { id: string; name: string }[];
  stop(): Promise<void>;
}

async function route(rt: Runtime, req: Req): Promise<Reply> {
  const p = req.url.pathname;
  if (p === "/") return { status: 302, location: "/ui" };
  if (p === "/healthz") return { status: 200, json: { ok: true } };
  if (p === "/oauth2/auth/central" && req.method === "GET") return authorize(rt, req);
  if (p === "/oauth2/auth/central/consent" && req.method === "POST") return consent(rt, req);
  if (p === "/token" && req.method === "POST") return token(rt, req);
  if (p === "/revoke" && req.method === "POST") return revoke(rt, req);
  if (p === "/v3.1" || p.startsWith("/v3.1/")) return handleApi(rt, req);
  if (p === "/ui" || p.startsWith("/ui/")) return handleUi(rt, req);
  if (p.startsWith("/_admin/")) return handleAdmin(rt, req);
  throw new SageError(404, [item("RecordNotFound", "Couldn't find record.")]);
}

function faultReply(rule: FaultRule): Reply | "hang" {
  if (rule.kind === "timeout") return "hang";
  if (rule.kind === "rate_limit") {
    return {
      status: 429,
      json: [item("TooManyRequests", "Too many requests. Please retry later.")],
      headers: rule.retry_after === null ? {} : { "retry-after": String(rule.retry_after) },
    };
  }
  const unavailable = rule.status === 503;
  return {
    status: rule.status,
    json: [
      unavailable
        ? item("ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
        : item("UnexpectedError", "An unexpected error occurred."),
    ],
  };
}

export async function startSageEmulator(opts: SageEmulatorOptions & { ensureDatabase?: boolean }): Promise<SageEmulator> {
  const config = resolveConfig(opts);
  if (opts.ensureDatabase) await ensureDatabase(config.databaseUrl);
  const db = createPool(config.databaseUrl);
  await migrate(db);
  const faults = new Faults();
  for (const f of config.faults) faults.add(f);
  const rt: Runtime = {
    db,
    config,
    tokens: new TokenStore(db, config),
    stats: new Stats(),
    faults,
    limiter: new RateLimiter(config.rateLimitPerMinute),
  };
  const hangs = new Set<NodeJS.Timeout>();

  const applyFault = (rule: FaultRule, res: ServerResponse): void => {
    rt.stats.counters.faults_injected += 1;
    const reply = faultReply(rule);
    if (reply === "hang") {
      // Hold the request past the client's timeout, then drop the connection without a response.
      const t = setTimeout(() => {
        hangs.delete(t);
        res.destroy();
      }, rule.hang_ms ?? config.hangMs);
      hangs.add(t);
      return;
    }
    if (reply.status === 429) rt.stats.counters.throttled_429 += 1;
    rt.stats.response(reply.status);
    send(res, reply);
  };

  const handle = async (raw: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(raw.url ?? "/", "http://emulator.local");
    const method = (raw.method ?? "GET").toUpperCase();
    const observed = !url.pathname.startsWith("/_admin/");
    if (observed) rt.stats.request(method, url.pathname);
    let reply: Reply;
    try {
      const req: Req = { method, url, headers: raw.headers, raw, body: await readBody(raw) };
      const before = observed ? rt.faults.pick(method, url.pathname, "before") : undefined;
      if (before?.kind === "wrong_total") {
        rt.stats.counters.faults_injected += 1;
        req.wrongTotalBy = before.delta;
      } else if (before) return applyFault(before, res);
      reply = await route(rt, req);
    } catch (err) {
      if (err instanceof SageError) reply = errorReply(err);
      else {
        log.error({ err, method, path: url.pathname }, "unhandled emulator error");
        reply = { status: 500, json: [item("UnexpectedError", "An unexpected error occurred.")] };
      }
    }
    const after = observed ? rt.faults.pick(method, url.pathname, "after") : undefined;
    if (after) return applyFault(after, res);
    if (observed) rt.stats.response(reply.status);
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, "failed to send response");
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  log.info({ url, businesses: BUSINESSES.map((b) => b.id) }, "sage emulator listening");

  return {
    url,
    port,
    config,
    stats: rt.stats,
    faults: rt.faults,
    businesses: BUSINESSES.map((b) => ({ id: b.id, name: b.name })),
    async stop() {
      for (const t of hangs) clearTimeout(t);
      hangs.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.end();
    },
  };
}

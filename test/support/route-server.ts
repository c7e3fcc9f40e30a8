import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Test-only: serves App Router route modules (their exported GET/POST/… functions) over real HTTP
 * on 127.0.0.1 — the real handler code, no Next build. Patterns use the App Router's folder syntax:
 * `/webhooks/magento/[connectionId]/[event]`, `/api/[...rest]`. Params are percent-decoded and passed as
 * a promise, as Next 16 does. Request bodies are streamed, not buffered, so size caps behave as
 * they do in production.
 *
 * Run as a script (`node --import tsx test/support/route-server.ts '<pattern>=<module path>' …`) it
 * prints `route-server ready <port>`; `spawnRouteServer` uses that to run handlers in a child process
 * with a different environment (e.g. a database that is down).
 */

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];
type Params = Record<string, string | string[]>;
type Handler = (req: Request, ctx: { params: Promise<Params> }) => Response | Promise<Response>;
export type RouteModule = Partial<Record<Method, unknown>>;

export interface RouteSpec {
  pattern: string;
  module: RouteModule;
}

export interface RouteServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Compiled {
  segments: string[];
  module: RouteModule;
}

function match(segments: string[], pathSegments: string[]): Params | null {
  const params: Params = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(seg);
    if (catchAll) {
      if (i !== segments.length - 1 || pathSegments.length <= i) return null;
      params[catchAll[1]] = pathSegments.slice(i).map(decodeURIComponent);
      return params;
    }
    if (i >= pathSegments.length) return null;
    const dynamic = /^\[(\w+)\]$/.exec(seg);
    if (dynamic) params[dynamic[1]] = decodeURIComponent(pathSegments[i]);
    else if (seg !== pathSegments[i]) return null;
  }
  return segments.length === pathSegments.length ? params : null;
}

const split = (p: string) => p.split("/").filter(Boolean);

function toRequest(req: http.IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs this for a streamed body.
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

async function writeResponse(req: http.IncomingMessage, res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  // A handler that refused a body without reading it (413) leaves the socket unusable for keep-alive.
  if (!req.complete) headers.connection = "close";
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (response.body) {
    for await (const chunk of Readable.fromWeb(response.body as import("node:stream/web").ReadableStream)) res.write(chunk);
  }
  res.end();
}

export async function startRouteServer(routes: RouteSpec[], opts: { port?: number } = {}): Promise<RouteServer> {
  const compiled: Compiled[] = routes.map((r) => ({ segments: split(r.pattern), module: r.module }));
  let origin = "";
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    const method = (req.method ?? "GET") as Method;
    void (async () => {
      for (const route of compiled) {
        const params = match(route.segments, split(pathname));
        if (!params) continue;
        const handler = route.module[method];
        if (typeof handler !== "function") {
          res.writeHead(405, { allow: METHODS.filter((m) => typeof route.module[m] === "function").join(", ") }).end();
          return;
        }
        const response = await (handler as Handler)(toRequest(req, origin), { params: Promise.resolve(params) });
        await writeResponse(req, res, response);
        return;
      }
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not_found"}');
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`route-server: handler threw: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ChildRouteServer {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The same server in a child process: `routes` maps patterns to module paths relative to the repo
 * root; `env` is merged over this process's environment.
 */
export async function spawnRouteServer(routes: Record<string, string>, env: Record<string, string>): Promise<ChildRouteServer> {
  const args = Object.entries(routes).map(([pattern, file]) => `${pattern}=${file}`);
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /route-server ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    proc.once("exit", (code) => reject(new Error(`route server exited early (${code}):\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid!,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const routes: RouteSpec[] = [];
  for (const arg of argv) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new Error(`expected <pattern>=<module path>, got ${arg}`);
    const routeModule = (await import(pathToFileURL(path.resolve(repoRoot, arg.slice(eq + 1))).href)) as RouteModule;
    routes.push({ pattern: arg.slice(0, eq), module: routeModule });
  }
  const server = await startRouteServer(routes);
  process.stdout.write(`route-server ready ${server.port}\n`);
  process.once("SIGTERM", () => {
    void server.close().then(() => process.exit(0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`route-server failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signingKeys } from "@/test/support/inngest";

/**
 * Test-only: Ledger's app (the route server script serving the real route handlers) and the embedded
 * Inngest executor (its CLI) as child processes that a test can SIGKILL and start again, behind a
 * fixed-port TCP relay so Magento and the executor keep one address across restarts — as a load
 * balancer gives a restarted production instance.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface Child {
  proc: ChildProcess;
  port: number;
  output(): string;
  kill(): Promise<void>;
}

async function spawnReady(args: string[], env: Record<string, string>, ready: RegExp): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start:\n${out}`)), 60_000);
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited early (${code}):\n${out}`));
    });
  });
  return {
    proc,
    port,
    output: () => out,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

export const APP_ROUTES = {
  "/webhooks/magento/[connectionId]/[event]": "app/webhooks/magento/[connectionId]/[event]/route.ts",
  "/v1/tile/health": "app/v1/tile/health/route.ts",
  "/v1/status": "app/v1/status/route.ts",
  "/v1/tenant/disconnect": "app/v1/tenant/disconnect/route.ts",
  "/api/inngest": "app/api/inngest/route.ts",
};

export function startApp(env: Record<string, string>): Promise<Child> {
  const args = ["test/support/route-server.ts", ...Object.entries(APP_ROUTES).map(([p, f]) => `${p}=${f}`)];
  return spawnReady(args, env, /route-server ready (\d+)/);
}

export function startSageProcess(env: Record<string, string>): Promise<Child> {
  return spawnReady(["sim/sage/server.ts"], env, /Sage emulator on http:\/\/[\d.]+:(\d+)/);
}

export function startExecutorProcess(opts: { port: number; appUrl: string; databaseUrl: string }): Promise<Child> {
  const args = [
    "tools/inngest-local/cli.ts",
    "start",
    "--app-url",
    opts.appUrl,
    "--port",
    String(opts.port),
    "--workers",
    "4",
    "--lease-ms",
    "3000",
    "--retry-base-ms",
    "200",
    "--sync-interval-ms",
    "0",
  ];
  const { signingKey, eventKey } = signingKeys();
  return spawnReady(
    args,
    { INNGEST_LOCAL_DATABASE_URL: opts.databaseUrl, INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey, LOG_LEVEL: "warn" },
    /inngest-local listening on http:\/\/[\d.]+:(\d+)/,
  );
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Relay {
  url: string;
  /** Where new connections go; existing ones keep their target until either side closes. */
  target(port: number): void;
  close(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  let targetPort = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    target: (p) => {
      targetPort = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A child process that announces nothing: the caller knows its port and polls it (waitForHttp). */
export function spawnChild(args: string[], env: Record<string, string>, port: number): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    proc,
    port,
    output: () => out,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `url` until it answers below 500 (or the child dies). */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null)
      throw new Error(`child exited before ${url} answered:\n${child.output()}`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0 && status < 500) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

import net from "node:net";
import type { Child } from "./children";

/** Ports and health checks for the stack's components. */

export class PortBusyError extends Error {
  constructor(
    readonly component: string,
    readonly port: number,
    readonly envVar: string,
  ) {
    super(
      `port ${port} (${component}) is already in use — stop whatever holds it (\`lsof -i :${port}\`) or choose another with ${envVar}=…`,
    );
    this.name = "PortBusyError";
  }
}

/** true when nothing listens on host:port (we could bind it ourselves). */
export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** An ephemeral port that is free right now. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen({ port: 0, host }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers below 500. Fails early, with the child's last lines, when the child
 * that should serve it exits.
 */
export async function waitForHttp(url: string, opts: { timeoutMs: number; child?: Child; label: string }): Promise<void> {
  const until = Date.now() + opts.timeoutMs;
  let exitCode: number | null | undefined;
  opts.child?.exited.then((c) => {
    exitCode = c;
  });
  let last = "no answer";
  while (Date.now() < until) {
    if (exitCode !== undefined) {
      throw new Error(`${opts.label} exited (${exitCode}) before answering ${url}:\n${opts.child?.tail().slice(-12).join("\n")}`);
    }
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${opts.label} did not answer ${url} within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`);
}

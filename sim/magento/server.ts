import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { handleAdminApi, type AdminRuntime } from "./admin/api.ts";
import { handleUi } from "./admin/ui.ts";
import type { SimContext } from "./context.ts";
import { ensureDatabase, openPool, type Pool } from "./db.ts";
import { simLog } from "./log.ts";
import { drainOnce } from "./module/outbox.ts";
import { NO_OUTAGE } from "./rest/outage.ts";
import { handleRest, isRestPath, type RestState } from "./rest/router.ts";

/**
 * One simulated Magento 2 store with the Byte8 module installed.
 * Entry point: `node --import tsx sim/magento/server.ts` (env: MAGENTO_SIM_DATABASE_URL or
 * DATABASE_URL, MAGENTO_SIM_PORT=8301, MAGENTO_SIM_HOST=127.0.0.1, MAGENTO_SIM_STORE=default,
 * MAGENTO_SIM_DRAIN_SECONDS=60).
 */

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ledger_msim";

export interface ContextOptions {
  databaseUrl?: string;
  storeKey?: string;
  /** Wall clock in ms (tests inject a fixed one); the admin clock offset is added on top. */
  clock?: () => number;
  http?: { connectTimeoutMs?: number; totalTimeoutMs?: number };
}

export interface SimHandle {
  ctx: SimContext;
  pool: Pool;
  getClockOffset(): number;
  setClockOffset(seconds: number): void;
  close(): Promise<void>;
}

export async function createContext(opts: ContextOptions): Promise<SimHandle> {
  const databaseUrl = opts.databaseUrl ?? process.env.MAGENTO_SIM_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await ensureDatabase(databaseUrl);
  const pool = await openPool(databaseUrl);
  const clock = opts.clock ?? Date.now;
  let offsetSeconds = 0;
  const storeKey = opts.storeKey ?? process.env.MAGENTO_SIM_STORE ?? "default";
  const ctx: SimContext = {
    pool,
    storeKey,
    log: simLog.child({ store: storeKey }),
    nowMs: () => clock() + offsetSeconds * 1000,
    nowSeconds: () => Math.floor((clock() + offsetSeconds * 1000) / 1000),
    http: { connectTimeoutMs: opts.http?.connectTimeoutMs ?? 5000, totalTimeoutMs: opts.http?.totalTimeoutMs ?? 15000 },
  };
  return {
    ctx,
    pool,
    getClockOffset: () => offsetSeconds,
    setClockOffset: (s) => {
      offsetSeconds = s;
    },
    close: () => pool.end(),
  };
}

export interface StartOptions extends ContextOptions {
  port?: number;
  host?: string;
  /** Cron interval for the outbox drain; 0 disables the timer (tests drain via the admin API). */
  drainSeconds?: number;
}

export interface MagentoSim {
  url: string;
  port: number;
  ctx: SimContext;
  rest: RestState;
  drainNow: () => ReturnType<typeof drainOnce>;
  setClockOffset(seconds: number): void;
  stop(): Promise<void>;
}

export async function startMagentoSim(opts: StartOptions = {}): Promise<MagentoSim> {
  const handle = await createContext(opts);
  const rest: RestState = { authLog: [], patches: new Map(), outage: NO_OUTAGE };
  const runtime: AdminRuntime = { ctx: handle.ctx, rest, getClockOffset: handle.getClockOffset, setClockOffset: handle.setClockOffset };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const done = (p: Promise<void>) =>
      p.catch((err: Error) => {
        handle.ctx.log.error({ err: err.message, path }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("internal error");
      });
    if (isRestPath(path)) done(handleRest(handle.ctx, rest, req, res, path));
    else if (path.startsWith("/admin/api/")) done(handleAdminApi(runtime, req, res, path.slice("/admin/api/".length), url.searchParams));
    else done(handleUi(runtime, req, res, url));
  });
  const port = opts.port ?? Number(process.env.MAGENTO_SIM_PORT ?? 8301);
  const host = opts.host ?? process.env.MAGENTO_SIM_HOST ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const drainSeconds = opts.drainSeconds ?? Number(process.env.MAGENTO_SIM_DRAIN_SECONDS ?? 60);
  const timer =
    drainSeconds > 0
      ? setInterval(() => {
          drainOnce(handle.ctx).catch((err: Error) => handle.ctx.log.error({ err: err.message }, "drain tick failed"));
        }, drainSeconds * 1000)
      : null;
  const url = `http://${host}:${actualPort}`;
  handle.ctx.log.info({ url, store: handle.ctx.storeKey, drainSeconds }, "magento simulator listening");
  return {
    url,
    port: actualPort,
    ctx: handle.ctx,
    rest,
    drainNow: () => drainOnce(handle.ctx),
    setClockOffset: handle.setClockOffset,
    stop: async () => {
      if (timer) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  startMagentoSim().then(
    (sim) => {
      const shutdown = () => {
        sim.stop().finally(() => process.exit(0));
      };
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    },
    (err: Error) => {
      simLog.error({ err: err.message }, "failed to start");
      process.exit(1);
    },
  );
}

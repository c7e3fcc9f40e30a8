import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { childLog } from "../../lib/log.ts";
import { createPool, ensureDatabase } from "./db.ts";
import { type SyncMode, type SyncResult, syncApp } from "./registry.ts";
import { startScheduler } from "./scheduler.ts";
import { migrate } from "./schema.ts";
import { createHandler } from "./http.ts";
import type { ExecutorContext } from "./types.ts";

export interface ExecutorConfig {
  databaseUrl: string;
  port?: number;
  host?: string;
  /** Serve routes to sync at start (e.g. `http://127.0.0.1:3000/api/inngest`). */
  appUrls?: string[];
  /** Signed ("cloud") mode: sign every call to the SDK and require keys on intake and register. */
  signingKey?: string;
  signingKeyFallback?: string;
  eventKey?: string;
  /** Queue items processed at once (default 4). */
  workers?: number;
  syncMode?: SyncMode;
  /** Re-sync the app URLs this often, like the dev server's polling; 0 disables (default 0). */
  syncIntervalMs?: number;
  leaseMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxNetworkRetries?: number;
  requestTimeoutMs?: number;
  pollMs?: number;
  /** Create the database when missing (default true). */
  createDatabase?: boolean;
}

export interface RunningExecutor {
  url: string;
  sync(url?: string): Promise<Array<SyncResult & { url: string }>>;
  stop(): Promise<void>;
}

/**
 * Starts the executor: migrates `inngest_local`, serves the HTTP API, runs the scheduler and
 * syncs the configured apps (retrying in the background until each answers).
 */
export async function startExecutor(config: ExecutorConfig): Promise<RunningExecutor> {
  if (config.signingKey && !config.eventKey) throw new Error("signed mode needs an event key (INNGEST_EVENT_KEY)");
  if (config.createDatabase !== false) await ensureDatabase(config.databaseUrl);
  const workers = config.workers ?? 4;
  const log = childLog({ component: "inngest-local" });
  // A cut connection is logged and replaced; the work it carried is retried (db.ts withTx, leases).
  const pool = createPool(config.databaseUrl, workers + 6, (err) =>
    log.warn({ err: err.message }, "inngest-local: database connection lost; reconnecting"),
  );
  await migrate(pool);
  let wake = () => undefined as void;
  const ctx: ExecutorContext = {
    pool,
    log,
    wake: () => wake(),
    opts: {
      leaseMs: config.leaseMs ?? 30_000,
      retryBaseMs: config.retryBaseMs ?? 1_000,
      retryMaxMs: config.retryMaxMs ?? 60_000,
      maxNetworkRetries: config.maxNetworkRetries ?? 30,
      requestTimeoutMs: config.requestTimeoutMs ?? 300_000,
      signingKeys: [config.signingKey, config.signingKeyFallback].filter((k): k is string => Boolean(k)),
      eventKey: config.eventKey,
    },
  };
  const appUrls = [...new Set(config.appUrls ?? [])];
  const syncMode = config.syncMode ?? "out_of_band";
  const sync = async (url?: string) => {
    const targets = url ? [url] : appUrls;
    return Promise.all(targets.map(async (u) => ({ url: u, ...(await syncApp(ctx, u, syncMode)) })));
  };

  const server = createServer(createHandler({ ctx, sync }));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port ?? 8288, config.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  const started = startScheduler(ctx, workers, config.pollMs ?? 250);
  wake = started.wake;

  // Apps usually start after the executor: keep trying each until it answers, then optionally poll.
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const keepSynced = (appUrl: string, delay: number, synced: boolean) => {
    const timer = setTimeout(async () => {
      timers.delete(timer);
      if (stopped) return;
      const result = await syncApp(ctx, appUrl, syncMode);
      if (!result.ok && !synced) log.warn({ url: appUrl, message: result.message }, "inngest-local: app not synced yet; retrying");
      const next = result.ok ? (config.syncIntervalMs ?? 0) : 2_000;
      if (next > 0 && !stopped) keepSynced(appUrl, next, synced || result.ok);
    }, delay);
    timers.add(timer);
  };
  for (const appUrl of appUrls) keepSynced(appUrl, 0, false);
  log.info({ url, appUrls, signed: ctx.opts.signingKeys.length > 0, workers }, "inngest-local: executor started");

  return {
    url,
    sync,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await started.scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}

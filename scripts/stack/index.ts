import path from "node:path";
import { hashSigningKey } from "../../tools/inngest-local/signing";
import { loadDemoSecrets } from "../demo/secrets";
import { buildState } from "./build";
import { runToCompletion, superviseChild, type Child } from "./children";
import { createSink, type LogSink } from "./logs";
import { freePort, portFree, PortBusyError, waitForHttp } from "./net";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from "./postgres";
import { waitForReady } from "./ready";

/**
 * The whole of Ledger on one machine, for `npm run demo`, `npm run stack` and end-to-end tests:
 * PostgreSQL (the given URL, else embedded), migrations, the Sage emulator, the Magento simulator,
 * the embedded Inngest executor and the app (`next start`), started in that order, each
 * health-checked before the next, with the environment wired between them and one log stream.
 * The executor runs in signed mode with keys generated once per data directory, so the app's
 * /api/inngest answers only calls signed by it — as it would with Inngest in production. Each
 * component is supervised: if it crashes it is restarted with growing delays, and the log says so.
 */

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface StackPorts {
  app: number;
  executor: number;
  magento: number;
  sage: number;
  /** embedded PostgreSQL only */
  db: number;
}

/** The components' own port variables, named in "port busy" errors. */
export const PORT_ENV: Record<keyof StackPorts, string> = {
  app: "PORT",
  executor: "INNGEST_LOCAL_PORT",
  magento: "MAGENTO_SIM_PORT",
  sage: "SAGE_EMU_PORT",
  db: "LEDGER_EMBEDDED_PG_PORT",
};

export const DEFAULT_PORTS: StackPorts = { app: 3000, executor: 8288, magento: 8301, sage: 8302, db: 54329 };

export interface StackOptions {
  /** Secrets, the embedded cluster and logs live here; the same directory resumes the same data. */
  dataDir: string;
  /** Use this PostgreSQL server instead of the embedded one. */
  databaseUrl?: string;
  /** Ports to listen on; 0 picks a free one. Defaults: DEFAULT_PORTS. */
  ports?: Partial<StackPorts>;
  /** Build the app when `.next` is missing or stale (default true); false never builds. */
  build?: boolean;
  /** Prefix each log line with its source (default true). */
  logPrefix?: boolean;
  /** Write the log stream to this file instead of stdout. */
  logFile?: string;
  /** Host of the app's public URL (`localhost` by default, so the printed link works in a browser). */
  host?: string;
  /** Database name on the embedded cluster (default `ledger_demo`). */
  databaseName?: string;
  /** Magento outbox cron interval (default 3 s: events reach Ledger while the presenter watches). */
  drainSeconds?: number;
  /**
   * Stop everything on Ctrl-C / SIGTERM and exit (CLIs). Installed before the first component
   * starts, so a signal during start-up also stops what is already running.
   */
  handleSignals?: boolean;
}

export interface StackUrls {
  app: string;
  executor: string;
  magento: string;
  magentoAdmin: string;
  sage: string;
  sageUi: string;
  /** with the password masked */
  database: string;
}

export interface Stack {
  urls: StackUrls;
  ports: StackPorts;
  /** The variables the stack set for the app (also what a process needs to call Ledger's lib/). */
  env: Record<string, string>;
  databaseUrl: string;
  embedded: boolean;
  log: LogSink;
  stop(): Promise<void>;
}

const SAGE_CLIENT = { id: "ledger-local", secret: "ledger-local-secret" };
const tsx = (entry: string, ...args: string[]) => ["--import", "tsx", path.join(REPO_ROOT, entry), ...args];
const maskPassword = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

/** Inherited variables that would point a child somewhere else than this stack. */
const DROP_FROM_ENV = [
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
  "INNGEST_EVENT_KEY",
  "INNGEST_BASE_URL",
  "INNGEST_DEV",
  "NODE_OPTIONS",
];

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of DROP_FROM_ENV) delete env[k];
  return { ...env, ...extra };
}

async function choosePorts(wanted: Partial<StackPorts>, embedded: boolean): Promise<StackPorts> {
  const out = { ...DEFAULT_PORTS };
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof StackPorts)[]) {
    if (key === "db" && !embedded) continue;
    const requested = wanted[key] ?? DEFAULT_PORTS[key];
    if (requested === 0) out[key] = await freePort();
    else if (await portFree(requested)) out[key] = requested;
    // The embedded cluster's port is not remembered anywhere, so any free one will do.
    else if (key === "db" && wanted.db === undefined) out[key] = await freePort();
    else throw new PortBusyError(key, requested, PORT_ENV[key]);
  }
  return out;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dataDir = path.resolve(opts.dataDir);
  const log = createSink({ prefix: opts.logPrefix ?? true, file: opts.logFile });
  const say = (line: string) => log("stack", line);
  const secrets = loadDemoSecrets(dataDir);
  const embedded = !opts.databaseUrl;
  const ports = await choosePorts(opts.ports ?? {}, embedded);
  const host = opts.host ?? "localhost";

  const children: Child[] = [];
  let pgServer: EmbeddedPostgres | null = null;
  const stop = async () => {
    for (const c of children.reverse()) await c.stop();
    children.length = 0;
    if (pgServer) {
      await pgServer.stop();
      log("db", "embedded PostgreSQL stopped");
      pgServer = null;
    }
  };
  if (opts.handleSignals) stopOnSignals(stop, log);

  try {
    // 0. the production build, first: nothing else is running yet to fill the log while it builds
    const state = buildState(REPO_ROOT);
    if (state.kind !== "fresh") {
      if (opts.build === false) {
        if (state.kind === "missing") throw new Error("no production build in .next and build: false — run `npm run build` first");
        say(`the build in .next is older than ${state.newer}; using it anyway (build: false)`);
      } else {
        say(
          state.kind === "missing"
            ? "no production build yet: building the app (a few minutes, first run only)…"
            : `sources changed since the last build (${state.newer}): rebuilding…`,
        );
        // Server code reads DATABASE_URL and the rest at run time; the build needs only the secrets' shape.
        const buildEnv = { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...secrets };
        await runToCompletion({ name: "build", command: "npm", args: ["run", "build"], env: childEnv(buildEnv), cwd: REPO_ROOT, log });
      }
    }

    // 1. PostgreSQL
    let databaseUrl: string;
    if (opts.databaseUrl) {
      databaseUrl = opts.databaseUrl;
      log("db", `using ${maskPassword(databaseUrl)}`);
    } else {
      const inRepo = dataDir.startsWith(`${REPO_ROOT}${path.sep}`);
      pgServer = await startEmbeddedPostgres({
        dir: path.join(dataDir, "postgres"),
        port: ports.db,
        traverseRoot: inRepo ? REPO_ROOT : path.dirname(dataDir),
        onLog: (l) => log("db", l),
      });
      databaseUrl = pgServer.url(opts.databaseName ?? "ledger_demo");
      log(
        "db",
        `embedded PostgreSQL ${pgServer.initialised ? "initialised and " : ""}listening on 127.0.0.1:${ports.db} (${pgServer.clusterDir})`,
      );
    }
    const { created } = await ensureDatabase(databaseUrl).catch((e: Error) => {
      throw new Error(`cannot reach PostgreSQL at ${maskPassword(databaseUrl)}: ${e.message}`);
    });
    if (created) log("db", `created database ${new URL(databaseUrl).pathname.slice(1)}`);

    // 2. migrations
    await runToCompletion({
      name: "db",
      command: process.execPath,
      args: [path.join(REPO_ROOT, "scripts/prisma-offline.mjs"), "deploy"],
      env: childEnv({ DATABASE_URL: databaseUrl }),
      cwd: REPO_ROOT,
      log,
    });

    const urls: StackUrls = {
      app: `http://${host}:${ports.app}`,
      executor: `http://127.0.0.1:${ports.executor}`,
      magento: `http://127.0.0.1:${ports.magento}`,
      magentoAdmin: `http://127.0.0.1:${ports.magento}/admin`,
      sage: `http://127.0.0.1:${ports.sage}`,
      sageUi: `http://127.0.0.1:${ports.sage}/ui`,
      database: maskPassword(databaseUrl),
    };

    // 3. Sage emulator
    const sage = superviseChild({
      name: "sage",
      command: process.execPath,
      args: tsx("sim/sage/server.ts"),
      env: childEnv({
        SAGE_EMU_DATABASE_URL: databaseUrl,
        SAGE_EMU_PORT: String(ports.sage),
        SAGE_EMU_HOST: "127.0.0.1",
        NODE_ENV: "development",
      }),
      cwd: REPO_ROOT,
      log,
    });
    children.push(sage);
    await waitForHttp(`${urls.sage}/healthz`, { timeoutMs: 60_000, child: sage, label: "the Sage emulator" });

    // 4. Magento simulator
    const magento = superviseChild({
      name: "magento",
      command: process.execPath,
      args: tsx("sim/magento/server.ts"),
      env: childEnv({
        MAGENTO_SIM_DATABASE_URL: databaseUrl,
        MAGENTO_SIM_PORT: String(ports.magento),
        MAGENTO_SIM_HOST: "127.0.0.1",
        MAGENTO_SIM_DRAIN_SECONDS: String(opts.drainSeconds ?? 3),
        // For the admin UI's "Play a day" button (the scenario drives the emulator's rate limit).
        MAGENTO_SIM_SCENARIO_SAGE_URL: urls.sage,
        NODE_ENV: "development",
      }),
      cwd: REPO_ROOT,
      log,
    });
    children.push(magento);
    await waitForHttp(`${urls.magento}/admin/api/state`, { timeoutMs: 60_000, child: magento, label: "the Magento simulator" });

    // 5. embedded Inngest executor (it keeps offering itself to the app until the app answers)
    const appServeUrl = `${urls.app}/api/inngest`;
    const executor = superviseChild({
      name: "executor",
      command: process.execPath,
      args: tsx("tools/inngest-local/cli.ts", "start", "--app-url", appServeUrl),
      env: childEnv({
        INNGEST_LOCAL_DATABASE_URL: databaseUrl,
        INNGEST_LOCAL_PORT: String(ports.executor),
        INNGEST_LOCAL_HOST: "127.0.0.1",
        INNGEST_SIGNING_KEY: secrets.INNGEST_SIGNING_KEY,
        INNGEST_EVENT_KEY: secrets.INNGEST_EVENT_KEY,
      }),
      cwd: REPO_ROOT,
      log,
    });
    children.push(executor);
    await waitForHttp(`${urls.executor}/health`, { timeoutMs: 60_000, child: executor, label: "the Inngest executor" });

    // 6. the app
    const appEnv: Record<string, string> = {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      LEDGER_ENCRYPTION_KEY: secrets.LEDGER_ENCRYPTION_KEY,
      AUTH_SECRET: secrets.AUTH_SECRET,
      LEDGER_BASE_URL: urls.app,
      AUTH_URL: urls.app,
      AUTH_TRUST_HOST: "true",
      LEDGER_ALLOW_PRIVATE_URLS: "true",
      // Signed, like a self-hosted Inngest: the executor signs its calls and the app verifies them.
      INNGEST_BASE_URL: urls.executor,
      INNGEST_SIGNING_KEY: secrets.INNGEST_SIGNING_KEY,
      INNGEST_EVENT_KEY: secrets.INNGEST_EVENT_KEY,
      SAGE_OAUTH_AUTHORIZE_URL: `${urls.sage}/oauth2/auth/central?filter=apiv3.1`,
      SAGE_OAUTH_TOKEN_URL: `${urls.sage}/token`,
      SAGE_OAUTH_REVOKE_URL: `${urls.sage}/revoke`,
      SAGE_API_BASE_URL: `${urls.sage}/v3.1`,
      SAGE_CLIENT_ID: SAGE_CLIENT.id,
      SAGE_CLIENT_SECRET: SAGE_CLIENT.secret,
      SAGE_REDIRECT_URI: `${urls.app}/api/sage/callback`,
      SAGE_UI_BASE_URL: urls.sage,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const app = superviseChild({
      name: "app",
      command: process.execPath,
      args: [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(ports.app), "-H", host],
      env: childEnv(appEnv),
      cwd: REPO_ROOT,
      log,
    });
    children.push(app);
    await waitForReady(urls.app, { timeoutMs: 120_000, child: app, label: "the app" });

    // Register the functions now rather than at the executor's next periodic sync.
    const sync = await fetch(`${urls.executor}/v0/sync`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${hashSigningKey(secrets.INNGEST_SIGNING_KEY)}` },
      body: JSON.stringify({ url: appServeUrl }),
    })
      .then(async (r) => `${r.status} ${(await r.text()).slice(0, 200)}`)
      .catch((e: Error) => e.message);
    log("executor", `synced ${appServeUrl}: ${sync}`);

    return { urls, ports, env: appEnv, databaseUrl, embedded, log, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

/** Ctrl-C / SIGTERM: children first, then the embedded cluster, then exit; a second signal exits at once. */
function stopOnSignals(stop: () => Promise<void>, log: LogSink): void {
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log("stack", `${sig}: stopping…`);
    stop().then(
      () => {
        log("stack", "stopped");
        process.exit(0);
      },
      (e: Error) => {
        log("stack", `stop failed: ${e.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

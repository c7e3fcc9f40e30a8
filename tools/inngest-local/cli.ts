import { parseArgs } from "node:util";
import { createPool } from "./db.ts";
import { startExecutor } from "./executor.ts";
import { listRuns } from "./read-api.ts";
import { migrate } from "./schema.ts";

/**
 * `node --import tsx tools/inngest-local/cli.ts start [--app-url URL ...]` starts the executor;
 * `… runs [--limit N] [--status S]` lists recent runs straight from Postgres.
 */

const USAGE = `usage:
  cli.ts start [--app-url URL ...] [--port N] [--host H] [--workers N] [--sync-mode out_of_band|in_band]
               [--sync-interval-ms N] [--lease-ms N] [--retry-base-ms N] [--database-url URL]
  cli.ts runs  [--limit N] [--status Running|Completed|Failed|Cancelled|Queued] [--function ID] [--json]`;

function databaseUrl(flag: string | undefined): string {
  const url = flag ?? process.env.INNGEST_LOCAL_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("set INNGEST_LOCAL_DATABASE_URL or DATABASE_URL (or pass --database-url)");
  return url;
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "app-url": { type: "string", multiple: true },
      port: { type: "string" },
      host: { type: "string" },
      workers: { type: "string" },
      "sync-mode": { type: "string" },
      "sync-interval-ms": { type: "string" },
      "database-url": { type: "string" },
      "lease-ms": { type: "string" },
      "retry-base-ms": { type: "string" },
    },
  });
  const envApps = (process.env.INNGEST_LOCAL_APP_URLS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const syncMode = values["sync-mode"] ?? "out_of_band";
  if (syncMode !== "out_of_band" && syncMode !== "in_band") throw new Error(`bad --sync-mode ${syncMode}`);
  const executor = await startExecutor({
    databaseUrl: databaseUrl(values["database-url"]),
    port: num(values.port ?? process.env.INNGEST_LOCAL_PORT) ?? 8288,
    host: values.host ?? process.env.INNGEST_LOCAL_HOST ?? "127.0.0.1",
    appUrls: [...(values["app-url"] ?? []), ...envApps],
    signingKey: process.env.INNGEST_SIGNING_KEY || undefined,
    signingKeyFallback: process.env.INNGEST_SIGNING_KEY_FALLBACK || undefined,
    eventKey: process.env.INNGEST_EVENT_KEY || undefined,
    workers: num(values.workers ?? process.env.INNGEST_LOCAL_WORKERS),
    syncMode,
    syncIntervalMs: num(values["sync-interval-ms"]) ?? 10_000,
    leaseMs: num(values["lease-ms"]),
    retryBaseMs: num(values["retry-base-ms"]),
  });
  process.stdout.write(`inngest-local listening on ${executor.url}\n`);
  const shutdown = () => {
    executor.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

async function runs(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      limit: { type: "string" },
      status: { type: "string" },
      function: { type: "string" },
      json: { type: "boolean" },
      "database-url": { type: "string" },
    },
  });
  const pool = createPool(databaseUrl(values["database-url"]), 2);
  try {
    await migrate(pool);
    const list = await listRuns(pool, { limit: Number(values.limit ?? 20), status: values.status, functionId: values.function });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    const rows = list.map((r) =>
      [r.run_id, r.status.padEnd(9), r.function_id, r.created_at, r.error ? JSON.stringify(r.error).slice(0, 80) : ""].join("  "),
    );
    process.stdout.write(`${rows.length ? rows.join("\n") : "no runs"}\n`);
  } finally {
    await pool.end();
  }
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[]) => Promise<void>> = { start, runs };
const handler = command ? commands[command] : undefined;
if (!handler) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
} else {
  handler(rest).catch((err: Error) => {
    process.stderr.write(`inngest-local: ${err.message}\n`);
    process.exit(1);
  });
}

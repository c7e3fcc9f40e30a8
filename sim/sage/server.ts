import { databaseUrlFromEnv } from "./config.ts";
import { startSageEmulator } from "./emulator.ts";
import { log } from "./log.ts";

/** `node --import tsx sim/sage/server.ts` — port from SAGE_EMU_PORT (8302), DB from env. */
const databaseUrl = databaseUrlFromEnv();
if (!databaseUrl) {
  log.fatal("set SAGE_EMU_DATABASE_URL (or DATABASE_URL) to a PostgreSQL URL");
  process.exit(1);
}

const emulator = await startSageEmulator({ databaseUrl, ensureDatabase: true });
process.stdout.write(`Sage emulator on ${emulator.url} (UI ${emulator.url}/ui)\n`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await emulator.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

import path from "node:path";
import { defineConfig } from "prisma/config";

/**
 * Offline-safe Prisma config (see ../shared/spec/prisma-offline.md §3.2).
 *
 * `generate`, `validate` and `format` never start the schema engine, but the CLI insists the native
 * binary exists before running them and would try to download it. Point it at a placeholder for those
 * three commands only; `migrate`/`db` keep their normal behaviour (use `npm run db:*` offline).
 */
function cliCommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--config" || a === "--schema") {
      i++;
      continue;
    }
    if (!a.startsWith("-")) return a;
  }
  return undefined;
}

const args = process.argv.slice(2);
const command = cliCommand(args);
if (command && ["generate", "validate", "format"].includes(command) && !args.includes("--sql")) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "scripts", "no-schema-engine.mjs");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // process.env, not env(): env() throws when unset, which would break `npm install` and `next build`.
  datasource: { url: process.env.DATABASE_URL },
});

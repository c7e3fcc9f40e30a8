import { pathToFileURL } from "node:url";
import { generateSchema } from "./admin/schemas.ts";
import { generate } from "./generate.ts";
import { createContext } from "./server.ts";

/**
 * `node --import tsx sim/magento/generate-cli.ts --seed 42 --orders 30`: seeded demo data straight
 * into the simulator's database, no server needed. Its own file so generate.ts (which the admin API
 * imports) never imports the server back.
 */
async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i].replace(/^--/, ""), argv[i + 1]);
  const { ctx, close } = await createContext({});
  try {
    const summary = await generate(ctx, generateSchema.parse(Object.fromEntries(args)));
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  });
}

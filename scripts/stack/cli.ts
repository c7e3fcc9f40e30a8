import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, startStack, type StackPorts } from "./index";

/**
 * `npm run stack [-- --data-dir DIR] [--no-build]`: the whole stack, no demo data — for development
 * and for pointing a browser or a test at. Ports and database from the same variables as the demo.
 */
const { values } = parseArgs({
  options: { "data-dir": { type: "string" }, "no-build": { type: "boolean" } },
});
const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
const ports: Partial<StackPorts> = {
  app: num(process.env.PORT),
  executor: num(process.env.INNGEST_LOCAL_PORT),
  magento: num(process.env.MAGENTO_SIM_PORT),
  sage: num(process.env.SAGE_EMU_PORT),
  db: num(process.env.LEDGER_EMBEDDED_PG_PORT),
};
const t0 = Date.now();
try {
  const stack = await startStack({
    dataDir: path.resolve(values["data-dir"] ?? path.join(REPO_ROOT, ".data", "stack")),
    databaseUrl: process.env.DATABASE_URL || undefined,
    ports: Object.fromEntries(Object.entries(ports).filter(([, v]) => v !== undefined)),
    build: !values["no-build"],
    handleSignals: true,
  });
  const u = stack.urls;
  stack.log(
    "stack",
    `up in ${((Date.now() - t0) / 1000).toFixed(1)} s — app ${u.app} · Magento ${u.magentoAdmin} · Sage ${u.sageUi} · executor ${u.executor} · db ${u.database} (Ctrl-C stops)`,
  );
} catch (e) {
  process.stderr.write(`[stack] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

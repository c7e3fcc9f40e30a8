/**
 * `npm run demo`: Ledger, a simulated Magento store and an emulated Sage business on this machine,
 * with a demo workspace already paired, connected and configured, and — on the first start — a day
 * of history showing every chip. Uses DATABASE_URL when set, otherwise an embedded PostgreSQL whose
 * data lives in `.data/demo` with the demo secrets (delete that directory to start over).
 * Presenter guide: docs/demo.md.
 */
import path from "node:path";
import { REPO_ROOT, startStack, type Stack, type StackPorts } from "../stack/index";
import { playFirstDay } from "./first-day";

// From the command, not from this module: node and tsx take a moment to get here.
const t0 = Date.now() - process.uptime() * 1000;
const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
const ports: Partial<StackPorts> = Object.fromEntries(
  Object.entries({
    app: num(process.env.PORT),
    executor: num(process.env.INNGEST_LOCAL_PORT),
    magento: num(process.env.MAGENTO_SIM_PORT),
    sage: num(process.env.SAGE_EMU_PORT),
    db: num(process.env.LEDGER_EMBEDDED_PG_PORT),
  }).filter(([, v]) => v !== undefined),
);
const dataDir = path.resolve(process.env.LEDGER_DEMO_DATA_DIR ?? path.join(REPO_ROOT, ".data", "demo"));

let stack: Stack | null = null;

async function main(): Promise<void> {
  const started = await startStack({ dataDir, databaseUrl: process.env.DATABASE_URL || undefined, ports, handleSignals: true });
  stack = started;
  const log = started.log;

  // The seed calls Ledger's own domain functions, which read their configuration from process.env.
  for (const [k, v] of Object.entries(started.env)) if (k !== "NODE_ENV") process.env[k] = v;
  process.env.LOG_LEVEL ??= "warn";
  const { seedDemo, DEMO_USER } = await import("./seed");
  const seed = await seedDemo({
    ledgerUrl: started.urls.app,
    magentoUrl: started.urls.magento,
    sageUrl: started.urls.sage,
    say: (l) => log("seed", l),
  });

  const u = started.urls;
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const rule = "─".repeat(78);
  process.stdout.write(
    [
      "",
      rule,
      ` Ledger is ready in ${seconds} s — open ${u.app}  (${DEMO_USER.email} / ${DEMO_USER.password})`,
      ` Magento admin:  ${u.magentoAdmin}   ("Play a day" is on its Dashboard)`,
      ` Sage:           ${u.sageUi}`,
      ` Inngest runs:   ${u.executor}/`,
      ` Database:       ${u.database}${started.embedded ? ` (embedded, data in ${path.relative(process.cwd(), dataDir) || dataDir})` : ""}`,
      ` Scenario:       npm run scenario [-- --fast]      Presenter guide: docs/demo.md`,
      ` Ctrl-C stops everything; the next \`npm run demo\` resumes the same data.`,
      rule,
      "",
    ].join("\n"),
  );

  if (seed.freshHistory) await playFirstDay({ tenantId: seed.tenantId, bindingId: seed.bindingId, urls: u, log });
}

main().catch(async (e: unknown) => {
  process.stderr.write(`[demo] ${e instanceof Error ? e.message : String(e)}\n`);
  // A failed startStack has stopped what it started; a failed seed leaves the stack to stop here.
  await stack?.stop().catch(() => undefined);
  process.exit(1);
});

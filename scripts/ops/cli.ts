/**
 * Operator commands, run with the app's environment (DATABASE_URL and the secrets lib/env.ts requires):
 *
 *   npm run ops -- plan <workspace>           show a workspace's plan
 *   npm run ops -- plan <workspace> <tier>    change it (audited as plan.changed)
 *
 * <workspace> is the workspace id or its exact name. Exit codes: 0 done, 1 refused (unknown
 * workspace, ambiguous name, unknown plan), 2 usage.
 */
import { parseArgs } from "node:util";

const USAGE = `Usage:
  npm run ops -- plan <workspace>           show a workspace's plan
  npm run ops -- plan <workspace> <tier>    change it (trial, starter, growth, scale, enterprise)

<workspace> is the workspace's id or its exact name.`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string, code: number): never => {
  process.stderr.write(`${line}\n`);
  process.exit(code);
};

async function plan(args: string[]): Promise<void> {
  const [workspace, tier, ...extra] = args;
  if (!workspace || extra.length) fail(USAGE, 2);
  const { changeWorkspacePlan, findWorkspace, planGatingEnabled } = await import("@/lib/plans");
  const { TIER_LABEL } = await import("@/lib/policy/tiers");
  if (!tier) {
    const w = await findWorkspace(workspace);
    out(
      `${w.name} (${w.id}) is on ${TIER_LABEL[w.planTier]}.${planGatingEnabled() ? "" : " Plan gating is off on this install (LEDGER_PLAN_GATING=false)."}`,
    );
    return;
  }
  const r = await changeWorkspacePlan({ workspace, tier, actor: { via: "ops-cli" } });
  const name = `${r.workspace.name} (${r.workspace.id})`;
  out(
    r.changed
      ? `${name}: ${TIER_LABEL[r.from]} → ${TIER_LABEL[r.to]} (audited as plan.changed)`
      : `${name} is already on ${TIER_LABEL[r.to]}; nothing changed`,
  );
  for (const b of r.overLimit) {
    out(
      `  warning: binding ${b.bindingId} has ${b.features.map((f) => (f === "products" ? "product" : "stock")).join(" and ")} sync on, which ${TIER_LABEL[r.to]} does not include; it must be turned off at the next settings save`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  const [command, ...rest] = positionals;
  if (values.help || !command) return void out(USAGE);
  if (command === "plan") return plan(rest);
  fail(`Unknown command "${command}".\n\n${USAGE}`, 2);
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (e) {
  const { isAppError } = await import("@/lib/errors");
  const { EnvError } = await import("@/lib/env");
  if (isAppError(e) || e instanceof EnvError) fail(e.message, 1);
  throw e;
}

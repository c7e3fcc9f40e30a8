/**
 * `node --import tsx scripts/demo/seed-cli.ts <ledgerUrl> <magentoUrl> <sageUrl>` with the stack's
 * environment: seeds the demo workspace (scripts/demo/seed.ts) and prints the result as JSON on
 * the last line. For tests that start a stack in a process that cannot load Ledger's lib/ itself.
 */
const [ledgerUrl, magentoUrl, sageUrl] = process.argv.slice(2);
if (!ledgerUrl || !magentoUrl || !sageUrl) {
  process.stderr.write("usage: seed-cli.ts <ledgerUrl> <magentoUrl> <sageUrl>\n");
  process.exit(2);
}
const { seedDemo, DEMO_USER } = await import("./seed");
const result = await seedDemo({ ledgerUrl, magentoUrl, sageUrl, say: (l) => process.stdout.write(`${l}\n`) });
process.stdout.write(`${JSON.stringify({ ...result, email: DEMO_USER.email, password: DEMO_USER.password })}\n`);
process.exit(0);

export {}; // a module: top-level await

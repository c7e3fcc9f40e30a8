/**
 * `node --import tsx scripts/demo/seed-cli.ts <ledgerUrl> <magentoUrl> <sageUrl> [--first-day]` with
 * the stack's environment: seeds the demo workspace (scripts/demo/seed.ts), with `--first-day` also
 * does what `npm run demo` does on a first start (./first-day.ts), and prints the result as JSON on
 * the last line. For tests that start a stack in a process that cannot load Ledger's lib/ itself.
 */
const args = process.argv.slice(2);
const firstDay = args.includes("--first-day");
const [ledgerUrl, magentoUrl, sageUrl] = args.filter((a) => !a.startsWith("--"));
if (!ledgerUrl || !magentoUrl || !sageUrl) {
  process.stderr.write("usage: seed-cli.ts <ledgerUrl> <magentoUrl> <sageUrl> [--first-day]\n");
  process.exit(2);
}
const { seedDemo, DEMO_USER } = await import("./seed");
const result = await seedDemo({ ledgerUrl, magentoUrl, sageUrl, say: (l) => process.stdout.write(`${l}\n`) });
if (firstDay && result.freshHistory) {
  const { playFirstDay } = await import("./first-day");
  await playFirstDay({
    ...result,
    urls: { app: ledgerUrl, magento: magentoUrl, sage: sageUrl },
    log: (source, line) => process.stdout.write(`[${source}] ${line}\n`),
  });
}
process.stdout.write(`${JSON.stringify({ ...result, email: DEMO_USER.email, password: DEMO_USER.password })}\n`);
process.exit(0);

export {}; // a module: top-level await

import { formatChips, playDay } from "../../sim/magento/scenario/runner";

/**
 * What `npm run demo` does on its first start, once the workspace is seeded: plays one day at the
 * shop so the history shows every chip, then prepares the reconciliation moment (./reconcile.ts).
 * The demo's browser test runs the same through seed-cli.ts, so the figures docs/demo.md promises are
 * checked against what a fresh demo shows, not against a history the test made up.
 *
 * Needs the stack's environment in `process.env` (the reconciliation step calls Ledger's lib/).
 */
export async function playFirstDay(ctx: {
  tenantId: string;
  bindingId: string;
  urls: { app: string; magento: string; sage: string };
  log(source: string, line: string): void;
}): Promise<void> {
  const say = (line: string) => ctx.log("demo", line);
  say("first start: playing one day at the shop so the history shows every chip…");
  let printed = 0;
  const result = await playDay({
    magentoUrl: ctx.urls.magento,
    sageUrl: ctx.urls.sage,
    fast: true,
    onProgress: (p) => {
      for (const line of p.log.slice(printed)) ctx.log("scenario", line);
      printed = p.log.length;
    },
  });
  say(`history ready: ${formatChips(result.chips)}${result.settled ? "" : " (some still pending)"} — open ${ctx.urls.app}/dashboard`);
  const { prepareReconciliationMoment } = await import("./reconcile");
  await prepareReconciliationMoment({ tenantId: ctx.tenantId, bindingId: ctx.bindingId, sageUrl: ctx.urls.sage, say }).catch((e: unknown) =>
    say(`reconciliation moment not prepared: ${e instanceof Error ? e.message : String(e)}`),
  );
}

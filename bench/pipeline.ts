import { BENCH_DATABASE_URL, numberArg, SHORT } from "./lib/env";
import "@/test/support/env";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { CallTimer } from "./lib/call-timer";
import { dropDatabase, prepareDatabase } from "./lib/db";
import { percentile, printGrid, sum } from "./lib/stats";

/**
 * Pipeline benchmark: Ledger's own overhead per event, from the 202 Magento receives for a webhook to
 * the sync-state callback delivered into Magento's mirror, one event at a time, with both simulators
 * answering at once (Sage's rate limit off, Ledger's Sage throttle lifted). The baseline is measured in
 * the same run: the round-trip times of the very calls the run made to the two simulators (fetch the
 * canonical entity, the Sage requests, the sync-state POST), taken from Node's HTTP diagnostics
 * channels. Overhead = latency − baseline; ratio = latency / baseline.
 *
 *   node --import tsx bench/pipeline.ts [--short] [--iterations 15]
 */

const ITERATIONS = numberArg("iterations", SHORT ? 1 : 15);
const EVENTS = ["invoice.created", "invoice.paid", "creditmemo.created", "customer.upserted", "product.upserted"] as const;
type Event = (typeof EVENTS)[number];

interface Sample {
  latency: number;
  baseline: number;
  calls: number;
}

process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "1000000"; // Sage budget is not the subject here
type Json = Record<string, unknown>;

async function main(): Promise<void> {
  await prepareDatabase(BENCH_DATABASE_URL);
  const timer = new CallTimer().start();
  let s: SyncStack | undefined;
  const samples = new Map<Event, Sample[]>(EVENTS.map((e) => [e, []]));
  let discarded = 0;
  try {
    s = await startSyncStack();
    const stack = s;
    await stack.savePolicy({
      payment_method_map: { checkmo: stack.refs.currentBank },
      sync_products: true,
      default_purchase_ledger_account_id: stack.refs.purchase,
    });
    await stack.settle();

    /** Drain one event and time it: 202 (the webhook's answer reaches Magento) → sync-state delivered. */
    const measure = async (event: Event): Promise<void> => {
      const since = performance.now();
      await stack.drain();
      const hooks = timer.to(stack.ledgerUrl, since).filter((c) => c.path.startsWith("/webhooks/"));
      await stack.settle();
      const runs = await stack.runs();
      const last = runs.at(-1);
      if (hooks.length !== 1 || !hooks[0].path.endsWith(`/${event}`) || last?.event !== event) {
        discarded++;
        return;
      }
      if (last.status !== "succeeded") throw new Error(`${event} run ${last.status}: ${last.errorClass} ${last.errorMessage}`);
      const accepted = hooks[0].finishedAt;
      const simCalls = [...timer.to(stack.magentoUrl, accepted), ...timer.to(stack.sageUrl, accepted)].filter(
        (c) => !c.path.startsWith("/admin/") && !c.path.startsWith("/_admin"),
      );
      const pushes = simCalls.filter((c) => c.path.includes("sync-state"));
      if (pushes.length === 0) throw new Error(`${event}: no sync-state callback observed`);
      const delivered = Math.max(...pushes.map((c) => c.finishedAt));
      const calls = simCalls.filter((c) => c.finishedAt <= delivered);
      samples
        .get(event)!
        .push({ latency: delivered - accepted, baseline: sum(calls.map((c) => c.finishedAt - c.startedAt)), calls: calls.length });
    };

    for (let i = 0; i < ITERATIONS + 1; i++) {
      const warm = i === 0; // the first round compiles and warms everything; not recorded
      const keep = (event: Event) => async () => {
        const before = samples.get(event)!.length;
        await measure(event);
        if (warm) samples.get(event)!.splice(before);
      };
      const customer = (await stack.magento("POST", "customers", {
        email: `bench${i}@pipeline.test`,
        firstname: "Bea",
        lastname: `Bench${i}`,
        country: "GB",
      })) as unknown as { entity_id: number };
      await keep("customer.upserted")();
      await stack.magento("POST", "products", {
        sku: `BENCH-${i}`,
        name: `Bench item ${i}`,
        type_id: "simple",
        price: 20 + i,
        tax_class_id: 2,
      });
      await keep("product.upserted")();
      const { invoice } = (await stack.magento("POST", "orders", {
        customer_id: customer.entity_id,
        lines: [{ sku: `BENCH-${i}`, qty: 2, tax_percent: 20 }],
        payment_method: "checkmo",
        invoice_state: "open",
      })) as unknown as { invoice: Json & { entity_id: number } };
      await keep("invoice.created")();
      await stack.magento("POST", `invoices/${invoice.entity_id}/pay`);
      await keep("invoice.paid")();
      await stack.magento("POST", "creditmemos", { invoice_id: invoice.entity_id, refund: "offline", link_invoice: true });
      await keep("creditmemo.created")();
    }

    const rows = EVENTS.map((event) => {
      const xs = samples.get(event)!;
      const lat = xs.map((x) => x.latency);
      const base = xs.map((x) => x.baseline);
      const over = xs.map((x) => x.latency - x.baseline);
      const p50 = percentile(lat, 50);
      const b50 = percentile(base, 50);
      return [
        event,
        String(xs.length),
        `${p50.toFixed(0)} / ${percentile(lat, 99).toFixed(0)} ms`,
        `${b50.toFixed(0)} / ${percentile(base, 99).toFixed(0)} ms (${percentile(
          xs.map((x) => x.calls),
          50,
        )} calls)`,
        `${percentile(over, 50).toFixed(0)} / ${percentile(over, 99).toFixed(0)} ms`,
        `${(p50 / b50).toFixed(1)}×`,
      ];
    });
    process.stdout.write(
      `\nPipeline: 202 → sync-state in Magento's mirror, one event at a time, ${ITERATIONS} per type${SHORT ? " (--short)" : ""}; ${discarded} samples discarded\n`,
    );
    printGrid(
      [
        "event",
        "n",
        "latency p50 / p99",
        "baseline: simulator round trips p50 / p99",
        "Ledger overhead p50 / p99",
        "latency / baseline (p50)",
      ],
      rows,
    );
  } finally {
    timer.stop();
    await s?.stop();
    const { db } = await import("@/lib/db");
    await db().$disconnect();
    await dropDatabase(BENCH_DATABASE_URL);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

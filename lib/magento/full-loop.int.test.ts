import "@/test/support/env";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { startMagentoSim, type MagentoSim } from "@/sim/magento/server";
import { call } from "@/sim/magento/test-helpers";
import type { RouteSpec } from "@/test/support/route-server";
import { truncateAll } from "@/test/support/db";
import { startIntakeHarness, type IntakeHarness } from "../../test/support/magento/intake-harness";
import { seedWorkspace } from "../../test/support/builders/stores";

/**
 * The whole Magento loop over real HTTP: the simulator's outbox drain posts a signed webhook to our
 * intake route; the run waits until the binding is active, then goes to the embedded Inngest
 * executor, which calls a trivial test-only function served with inngest's `serve()`; the function
 * fetches the canonical invoice with `magentoClientForConnection` and pushes `synced` back; the
 * chip shows in the simulator's mirror table. The real sync functions replace the test function.
 */

let h: IntakeHarness;
let sim: MagentoSim;

/** The test-only function: fetch the canonical invoice, push a `synced` chip, record the run. */
async function testFunctionRoutes(): Promise<RouteSpec[]> {
  const [{ inngest }, { serve }, { syncRequestedData }, { magentoClientForConnection }] = await Promise.all([
    import("@/lib/jobs/client"),
    import("inngest/next"),
    import("@/lib/jobs/events"),
    import("./client-for"),
  ]);
  const fn = inngest.createFunction(
    { id: "test-sync-invoice", triggers: [{ event: "ledger/invoice.created" }] },
    async ({ event, step }) => {
      const data = syncRequestedData.parse(event.data);
      const binding = await step.run("load-binding", () =>
        db().binding.findUniqueOrThrow({ where: { id: data.bindingId }, select: { magentoConnectionId: true } }),
      );
      const invoice = await step.run("fetch-canonical", async () => {
        const client = await magentoClientForConnection(binding.magentoConnectionId);
        const canonical = await client.getInvoice(data.magentoEntityId);
        return { incrementId: canonical.increment_id, grandTotal: canonical.grand_total };
      });
      await step.run("push-sync-state", async () => {
        const client = await magentoClientForConnection(binding.magentoConnectionId);
        await client.pushSyncState({
          entity_type: "invoice",
          magento_entity_id: data.magentoEntityId,
          provider: "sage_accounting",
          sync_status: "synced",
          provider_entity_id: `test-${invoice.incrementId}`,
          provider_reference: `SI-${data.magentoEntityId}`,
        });
        await db().syncRun.update({
          where: { id: data.runId },
          data: { status: "succeeded", providerReference: `SI-${data.magentoEntityId}`, finishedAt: new Date(), entitySummary: invoice },
        });
      });
      return invoice;
    },
  );
  const handlers = serve({ client: inngest, functions: [fn] });
  return [{ pattern: "/api/inngest", module: handlers }];
}

before(async () => {
  await truncateAll();
  h = await startIntakeHarness({ extraRoutes: testFunctionRoutes, appPath: "/api/inngest" });
  sim = await startMagentoSim({ databaseUrl: process.env.DATABASE_URL, port: 0, storeKey: "ledger-full-loop-int", drainSeconds: 0 });
  await call(sim, "POST", "/admin/api/reset");
});
after(async () => {
  await sim.stop();
  await h.stop();
  await db().$disconnect();
});

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, attempts = 150): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("Magento → Ledger → Inngest → Magento", () => {
  it("an invoice raised in Magento ends with a ✓ synced chip in Magento's mirror", async () => {
    const { connectMagento } = await import("@/lib/bindings/connect-magento");
    const ws = await seedWorkspace();
    const code = ((await call(sim, "POST", "/admin/api/pairing-code")).json as { code: string }).code;
    const paired = await connectMagento(
      { ...ws, magentoBaseUrl: sim.url, pairingCode: code },
      { ledgerBaseUrl: h.url, allowPrivate: true },
    );
    assert.ok(paired.ok, JSON.stringify(paired));

    await call(sim, "POST", "/admin/api/products", { sku: "MB01", name: "Bag", type_id: "simple", price: 34 });
    const order = await call(sim, "POST", "/admin/api/orders", {
      guest: { email: "ann@example.com", firstname: "Ann", lastname: "Guest" },
      country: "GB",
      lines: [{ sku: "MB01", qty: 1 }],
      payment_method: "checkmo",
    });
    assert.equal(order.status, 200, order.text);
    const invoiceId = (order.json as { invoice: { entity_id: number; increment_id: string } }).invoice.entity_id;

    // The outbox drain posts each event to our intake route; Sage is not connected yet, so the runs wait.
    const drained = (await call(sim, "POST", "/admin/api/drain")).json as {
      results: { event: string; outcome: string; status_code: number }[];
    };
    assert.deepEqual(drained.results.map((r) => [r.event, r.outcome, r.status_code]).sort(), [
      ["invoice.created", "succeeded", 202],
      ["product.upserted", "succeeded", 202],
    ]);
    const waiting = await db().syncRun.findFirstOrThrow({ where: { event: "invoice.created" } });
    assert.deepEqual([waiting.status, Number(waiting.magentoEntityId), waiting.bindingId], ["waiting", invoiceId, paired.bindingId]);
    const pendingChip = (await call(sim, "GET", "/admin/api/mirror?entity_type=invoice")).json as { sync_status: string }[];
    assert.deepEqual(
      pendingChip.map((r) => r.sync_status),
      ["pending"],
    );

    // Sage gets connected (the Sage helper's flow ends by activating the binding and calling this).
    await db().binding.update({ where: { id: paired.bindingId }, data: { status: "active" } });
    const { dispatchWaitingRuns } = await import("@/lib/sync/dispatch");
    assert.equal(await dispatchWaitingRuns(paired.bindingId), 2);

    const mirror = await until("the synced chip", async () => {
      const rows = (await call(sim, "GET", "/admin/api/mirror?entity_type=invoice")).json as Record<string, unknown>[];
      return rows.find((r) => r.magento_id === invoiceId && r.sync_status === "synced");
    });
    assert.equal(mirror.provider, "sage_accounting");
    assert.equal(mirror.provider_reference, `SI-${invoiceId}`);
    // The step pushes the chip first and records the run right after: wait for the record too.
    const run = await until("the run recorded as succeeded", async () => {
      const r = await db().syncRun.findUniqueOrThrow({ where: { id: waiting.id } });
      return r.status === "succeeded" ? r : undefined;
    });
    const summary = run.entitySummary as { incrementId: string; grandTotal: number };
    assert.equal(summary.incrementId, (order.json as { invoice: { increment_id: string } }).invoice.increment_id);
    assert.equal(summary.grandTotal > 0, true);

    // The module's tile, fetched from our health route with the paired key: green once nothing fails.
    const health = (await call(sim, "GET", "/admin/api/health")).json as {
      raw: { binding: { status: string }; sync: { failed_24h: number } };
    };
    assert.equal(health.raw.binding.status, "active");
    assert.equal(health.raw.sync.failed_24h, 0);
  });
});

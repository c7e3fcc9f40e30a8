import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { deliver, pendingOutbox, sageCount, storeApiKey } from "./support/storm";

/**
 * Duplicate storm: every Magento event delivered ten times at once — the same body and Idempotency-Key
 * with fresh JWTs, racing the simulator's resync CLI and its own outbox drain — must leave exactly one
 * Sage document per Magento entity and exactly one settled run per (binding, key, receipt generation).
 */

let s: SyncStack;
before(async () => {
  process.env.LEDGER_SAGE_RUNS_PER_MINUTE = "600";
  s = await startSyncStack();
  await s.savePolicy({
    payment_method_map: { checkmo: s.refs.currentBank },
    sync_products: true,
    default_purchase_ledger_account_id: s.refs.purchase,
  });
});
after(() => s?.stop());

type Entity = { entity_id: number; increment_id?: string };

test("every event ×10 concurrently → one Sage document each, one terminal run per key generation", async () => {
  const customer = (await s.magento("POST", "customers", {
    email: "storm@example.com",
    firstname: "Stella",
    lastname: "Storm",
    country: "GB",
  })) as unknown as Entity;
  await s.magento("POST", "products", { sku: "STORM-1", name: "Storm lantern", type_id: "simple", price: 30, cost: 11, tax_class_id: 2 });
  const { invoice } = (await s.magento("POST", "orders", {
    customer_id: customer.entity_id,
    lines: [{ sku: "STORM-1", qty: 2, tax_percent: 20 }],
    payment_method: "checkmo",
    invoice_state: "open",
  })) as unknown as { invoice: Entity };
  await s.magento("POST", `invoices/${invoice.entity_id}/pay`);
  await s.magento("POST", "creditmemos", {
    invoice_id: invoice.entity_id,
    lines: [{ index: 0, qty: 1 }],
    refund: "offline",
    link_invoice: true,
  });

  const rows = await pendingOutbox(s);
  assert.deepEqual(rows.map((r) => r.event_name).sort(), [
    "creditmemo.created",
    "customer.upserted",
    "invoice.created",
    "invoice.paid",
    "product.upserted",
  ]);
  const apiKey = await storeApiKey();

  const storm = await Promise.all([
    ...rows.flatMap((row) => Array.from({ length: 10 }, () => deliver(s, apiKey, row))),
    ...Array.from({ length: 3 }, () =>
      s
        .magento("POST", "invoices/sync", { ids: [invoice.entity_id], event: "both", state: "any" })
        .then(() => ({ status: 202, body: "resync" })),
    ),
    s.drain().then(() => ({ status: 202, body: "drain" })),
  ]);
  const refused = storm.filter((r) => r.status !== 200 && r.status !== 202);
  assert.deepEqual(refused, [], "every delivery is accepted (202 new, 200 repeat)");
  assert.ok(storm.filter((r) => r.status === 200).length >= rows.length * 8, "repeats were recognised as repeats");
  await s.settle({ timeoutMs: 90_000 });

  // Exactly one document of each kind in Sage.
  assert.equal(await sageCount(s, "/contacts?contact_type_id=CUSTOMER"), 1, "one customer contact");
  assert.equal(await sageCount(s, "/products"), 1, "one product");
  assert.equal(await sageCount(s, "/sales_invoices"), 1, "one sales invoice");
  assert.equal(await sageCount(s, "/contact_payments?transaction_type_id=CUSTOMER_RECEIPT"), 1, "one receipt for the payment");
  assert.equal(await sageCount(s, "/sales_credit_notes"), 1, "one credit note");
  const stats = (await s.sageAdmin("GET", "/stats")) as { requests: Record<string, number> };
  for (const create of ["POST /v3.1/sales_invoices", "POST /v3.1/sales_credit_notes", "POST /v3.1/products"]) {
    assert.equal(stats.requests[create], 1, `${create}: Ledger asked Sage once (${JSON.stringify(stats.requests)})`);
  }

  // One settled run per (binding, idempotency key, receipt generation), and every run succeeded.
  const runs = await db().syncRun.findMany({ where: { bindingId: s.bindingId }, include: { receipt: true } });
  const perGeneration = new Map<string, number>();
  for (const r of runs) {
    const k = `${r.bindingId}|${r.idempotencyKey}|${r.receipt?.generation ?? "none"}`;
    perGeneration.set(k, (perGeneration.get(k) ?? 0) + 1);
  }
  assert.deepEqual(
    [...perGeneration.values()].filter((n) => n !== 1),
    [],
    `runs per key generation: ${JSON.stringify([...perGeneration])}`,
  );
  assert.deepEqual(
    runs.filter((r) => r.status !== "succeeded").map((r) => `${r.event}:${r.status}:${r.errorMessage}`),
    [],
  );
  for (const row of rows)
    assert.ok(
      runs.some((r) => r.idempotencyKey === row.idempotency_key),
      `a run for ${row.idempotency_key}`,
    );
  const receipts = await db().webhookReceipt.findMany({ where: { magentoConnectionId: s.magentoConnectionId } });
  assert.equal(new Set(receipts.map((r) => `${r.idempotencyKey}|${r.generation}`)).size, receipts.length, "no key generation stored twice");

  // Magento's mirror shows every entity synced.
  const mirror = await s.mirror();
  for (const type of ["customer", "product", "invoice", "creditmemo"]) {
    const mine = mirror.filter((m) => m.entity_type === type);
    assert.equal(mine.length, 1, `one ${type} mirror row`);
    assert.equal(mine[0].sync_status, "synced", `${type} chip`);
  }
});

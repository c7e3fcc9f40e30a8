import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { sageCount } from "./support/storm";

/**
 * Sage misbehaving on about one request in five, on every API endpoint: 5xx before the write, 5xx after
 * it (the document exists but Ledger never hears so), 429s and dropped connections. Every document must
 * still arrive exactly once.
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

type Entity = { entity_id: number; increment_id: string };
const FAULTS = [
  // One of each kind for certain (a run this small can draw few random faults), then ≈20 % at random.
  { method: "POST", path: "/v3.1/sales_invoices", kind: "error", status: 500, phase: "after", count: 1 },
  { method: "POST", path: "/v3.1/contacts", kind: "error", status: 503, count: 1 },
  { method: "POST", path: "/v3.1/contact_payments", kind: "rate_limit", retry_after: 1, count: 1 },
  { path: "/v3.1/*", kind: "error", status: 503, rate: 0.06 },
  { path: "/v3.1/*", kind: "rate_limit", retry_after: 1, rate: 0.06 },
  { path: "/v3.1/*", kind: "timeout", hang_ms: 1500, rate: 0.04 },
  { path: "/v3.1/*", kind: "error", status: 500, phase: "after", rate: 0.05 },
];

test("≈20 % of Sage requests fail (5xx before/after the write, 429, dropped connections) → every document exactly once", async () => {
  await s.sageAdmin("POST", "/reset", { stats: true });
  await s.sageAdmin("POST", "/faults", FAULTS);

  await s.magento("POST", "products", { sku: "FLT-1", name: "Fault kettle", type_id: "simple", price: 18, cost: 7, tax_class_id: 2 });
  const customer = (await s.magento("POST", "customers", {
    email: "faulty@example.com",
    firstname: "Fran",
    lastname: "Faulty",
    country: "GB",
  })) as unknown as Entity;
  const invoices: Entity[] = [];
  for (let i = 0; i < 6; i++) {
    const buyer =
      i % 2 === 0
        ? { customer_id: customer.entity_id }
        : { guest: { email: `guest${i}@example.com`, firstname: "Gus", lastname: `Guest${i}` } };
    const { invoice } = (await s.magento("POST", "orders", {
      ...buyer,
      lines: [{ sku: "FLT-1", qty: 1 + i, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as { invoice: Entity };
    invoices.push(invoice);
  }
  for (const inv of invoices.slice(0, 3)) await s.magento("POST", `invoices/${inv.entity_id}/pay`);
  for (const inv of invoices.slice(3, 5))
    await s.magento("POST", "creditmemos", { invoice_id: inv.entity_id, refund: "offline", link_invoice: true });
  await s.settle({ timeoutMs: 150_000 });
  await s.sageAdmin("DELETE", "/faults");

  const runs = await s.runs();
  assert.deepEqual(
    runs
      .filter((r) => r.status !== "succeeded")
      .map((r) => `${r.event}#${r.magentoEntityId}: ${r.status} ${r.errorClass} ${r.errorMessage}`),
    [],
  );
  assert.equal(runs.length, 1 + 1 + 6 + 3 + 2, "every event became one run");
  for (const inv of invoices) {
    assert.equal(await sageCount(s, `/sales_invoices?search=${inv.increment_id}`), 1, `invoice ${inv.increment_id} once`);
  }
  assert.equal(await sageCount(s, "/sales_invoices"), 6);
  assert.equal(await sageCount(s, "/contact_payments?transaction_type_id=CUSTOMER_RECEIPT"), 3, "one receipt per payment");
  assert.equal(await sageCount(s, "/sales_credit_notes"), 2);
  assert.equal(await sageCount(s, "/products"), 1);
  assert.equal(await sageCount(s, "/contacts?contact_type_id=CUSTOMER"), 1 + 3, "the customer and three guests, once each");

  const stats = (await s.sageAdmin("GET", "/stats")) as {
    faults_injected: number;
    throttled_429: number;
    requests: Record<string, number>;
  };
  assert.ok(stats.faults_injected >= 3, `the faults were real: ${JSON.stringify(stats)}`);
  const kinds = new Set(runs.flatMap((r) => r.attempts.filter((a) => a.outcome === "failed").map((a) => a.errorClass)));
  assert.ok(
    kinds.size >= 1 && [...kinds].every((k) => k === "http" || k === "rate_limited"),
    `failures were transient only: ${[...kinds].join(", ")}`,
  );
  const mirror = await s.mirror();
  assert.deepEqual(
    mirror.filter((m) => m.sync_status !== "synced").map((m) => `${m.entity_type}#${m.magento_id}: ${m.sync_status}`),
    [],
  );
});

import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { expectBooksMatch, owedPence } from "@/test/support/books";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };

let s: SyncStack;
before(async () => {
  s = await startSyncStack();
  await s.savePolicy({ payment_method_map: { stripe_payments: s.refs.cardBank, checkmo: null } });
  await s.magento("POST", "products", { sku: "TENT", name: "Trail Tent", type_id: "simple", price: 120, tax_class_id: 2 });
});
after(() => s?.stop());

const order = (over: Record<string, unknown>) =>
  s.magento("POST", "orders", {
    guest: { email: "pay@example.com", firstname: "Pat", lastname: "Payer" },
    lines: [{ sku: "TENT", qty: 1, tax_percent: 20 }],
    ...over,
  }) as unknown as Promise<Created>;

test("a card payment becomes a receipt allocated to the invoice: the invoice is PAID in Sage", async () => {
  const { invoice } = await order({ payment_method: "stripe_payments", invoice_state: "paid" });
  await s.settle();
  const runs = (await s.runs()).filter((r) => r.magentoEntityId === invoice.entity_id);
  const created = runs.find((r) => r.event === "invoice.created")!;
  const paid = runs.find((r) => r.event === "invoice.paid")!;
  assert.equal(created.status, "succeeded", `${created.errorClass} ${created.errorMessage}`);
  assert.equal(paid.status, "succeeded", `${paid.errorClass} ${paid.errorMessage}`);
  const { sage: doc } = await expectBooksMatch(s, "invoice", invoice.entity_id, created.providerEntityId);
  assert.equal(owedPence(doc), 0);
  assert.equal((doc.status as { id: string }).id, "PAID");
  assert.deepEqual([created.warnings, paid.warnings], [[], []], "D11: Ledger's checks agree");
  const receipt = await s.sage(`/contact_payments/${paid.providerEntityId}`);
  assert.equal(Number(receipt.total_amount), invoice.grand_total);
  assert.equal((receipt.bank_account as { id: string }).id, s.refs.cardBank);
  // D4: the shared mirror row shows the invoice, not the payment
  const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)!;
  assert.equal(row.sync_status, "synced");
  assert.equal(row.provider_entity_id, created.providerEntityId);
  assert.equal(row.provider_reference, created.providerReference);
});

test("an offline method mapped to None skips the payment but the chip keeps showing the synced invoice (D4)", async () => {
  const { invoice } = await order({ payment_method: "checkmo", invoice_state: "open" });
  await s.magento("POST", `invoices/${invoice.entity_id}/pay`);
  await s.settle();
  const runs = (await s.runs()).filter((r) => r.magentoEntityId === invoice.entity_id);
  const paid = runs.find((r) => r.event === "invoice.paid")!;
  assert.equal(paid.status, "skipped_by_policy");
  assert.equal(paid.reasonCode, "payment_method_not_mapped");
  const created = runs.find((r) => r.event === "invoice.created")!;
  const { sage: doc } = await expectBooksMatch(s, "invoice", invoice.entity_id, created.providerEntityId);
  assert.equal(owedPence(doc), Math.round(invoice.grand_total * 100), "left UNPAID");
  const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)!;
  assert.equal(row.sync_status, "synced");
  assert.equal(row.provider_reference, created.providerReference);
});

test("a payment that arrives before its invoice is in Sage waits, then completes after the invoice is retried", async () => {
  // Sage refuses the invoice once (a transient outage that outlasts the retries), so the payment must wait.
  await s.sageAdmin("POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "error", status: 503, count: 20 });
  const { invoice } = await order({ payment_method: "stripe_payments", invoice_state: "paid" });
  const deadline = Date.now() + 60_000;
  let runs = await s.runs();
  for (;;) {
    await s.drain();
    runs = (await s.runs()).filter((r) => r.magentoEntityId === invoice.entity_id);
    const c = runs.find((r) => r.event === "invoice.created");
    const p = runs.find((r) => r.event === "invoice.paid");
    if (c?.status === "failed" && p?.status === "waiting") break;
    if (Date.now() > deadline) throw new Error(`expected failed + waiting, got ${runs.map((r) => `${r.event}:${r.status}`).join(", ")}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const created = runs.find((r) => r.event === "invoice.created")!;
  assert.equal(created.errorClass, "http");
  assert.ok(created.attempts.length >= 2, "every attempt recorded");
  await s.sageAdmin("POST", "/reset", { faults: true });
  const { retryRun } = await import("@/lib/sync/retry");
  await retryRun({ tenantId: s.tenantId, runId: created.id, actorUserId: s.userId });
  await s.settle();
  runs = (await s.runs()).filter((r) => r.magentoEntityId === invoice.entity_id);
  assert.deepEqual(runs.map((r) => r.status).sort(), ["succeeded", "succeeded"]);
  const doc = await s.sage(`/sales_invoices/${runs.find((r) => r.event === "invoice.created")!.providerEntityId}`);
  assert.equal(Number(doc.outstanding_amount), 0);
});

test("sync_unpaid_invoices=false: an open invoice is skipped, and when it is paid the payment run posts invoice and receipt", async () => {
  await s.savePolicy({
    sync_unpaid_invoices: false,
    payment_method_map: { stripe_payments: s.refs.cardBank, banktransfer: s.refs.currentBank },
  });
  const { invoice } = await order({ payment_method: "banktransfer", invoice_state: "open" });
  await s.settle();
  const skipped = (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === invoice.entity_id)!;
  assert.equal(skipped.status, "skipped_by_policy");
  assert.equal(skipped.reasonCode, "unpaid_invoice");
  assert.equal((await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)!.sync_status, "skipped");

  await s.magento("POST", `invoices/${invoice.entity_id}/pay`);
  await s.settle();
  const paid = (await s.runs()).find((r) => r.event === "invoice.paid" && r.magentoEntityId === invoice.entity_id)!;
  assert.equal(paid.status, "succeeded", `${paid.errorClass} ${paid.errorMessage}`);
  const found = (await s.sage(`/sales_invoices?search=${invoice.increment_id}`)) as { $total: number; $items: { id: string }[] };
  assert.equal(found.$total, 1, "the payment run put the invoice in Sage exactly once");
  const { sage: doc } = await expectBooksMatch(s, "invoice", invoice.entity_id, found.$items[0].id);
  assert.equal(owedPence(doc), 0, "and paid it from the mapped bank account");
  assert.deepEqual(paid.warnings, []);
  const row = (await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)!;
  assert.equal(row.sync_status, "synced", "D4: the chip now shows the synced invoice");
  assert.equal(row.provider_entity_id, found.$items[0].id);
  await s.savePolicy({ payment_method_map: { stripe_payments: s.refs.cardBank, checkmo: null } });
});

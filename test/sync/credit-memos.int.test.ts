import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { expectBooksMatch, owedPence } from "@/test/support/books";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };

let s: SyncStack;
before(async () => {
  s = await startSyncStack();
  await s.savePolicy({
    payment_method_map: { stripe_payments: s.refs.cardBank },
    b2c_consolidation: {
      enabled: true,
      min_total_for_individual: 1000,
      fallback_contact_reference: "WEBSALES",
      fallback_contact_email: "web@shop.test",
    },
  });
  await s.magento("POST", "products", { sku: "LAMP", name: "Camp Lamp", type_id: "simple", price: 25, tax_class_id: 2 });
});
after(() => s?.stop());

async function invoiceFor(body: Record<string, unknown>) {
  const { invoice } = (await s.magento("POST", "orders", {
    guest: { email: "cn@example.com", firstname: "Cora", lastname: "Note" },
    lines: [{ sku: "LAMP", qty: 2, tax_percent: 20 }],
    ...body,
  })) as unknown as Created;
  await s.settle();
  return invoice;
}
const runFor = async (event: string, id: number) => (await s.runs()).find((r) => r.event === event && r.magentoEntityId === id)!;

test("credit note after a consolidated (B2C) invoice: same fallback contact, allocated against the invoice (D5)", async () => {
  const invoice = await invoiceFor({ payment_method: "checkmo", invoice_state: "open" });
  const invRun = await runFor("invoice.created", invoice.entity_id);
  const invDoc = await s.sage(`/sales_invoices/${invRun.providerEntityId}`);
  // A partial refund: one lamp of two.
  const memo = (await s.magento("POST", "creditmemos", {
    invoice_id: invoice.entity_id,
    lines: [{ index: 0, qty: 1 }],
    refund: "offline",
    link_invoice: true,
    comment: "Broken glass",
  })) as unknown as { creditmemo?: { entity_id: number }; entity_id?: number };
  const memoId = memo.creditmemo?.entity_id ?? memo.entity_id!;
  await s.settle();
  const cnRun = await runFor("creditmemo.created", memoId);
  assert.equal(cnRun.status, "succeeded", `${cnRun.errorClass} ${cnRun.errorMessage}`);
  assert.match(cnRun.providerReference ?? "", /^CN-\d+$/);
  const { sage: cn } = await expectBooksMatch(s, "creditmemo", memoId, cnRun.providerEntityId);
  assert.equal((cn.contact as { id: string }).id, (invDoc.contact as { id: string }).id, "the invoice's (fallback) contact");
  assert.equal(Number(cn.total_amount), 30, "one lamp, 25 + 20 % VAT");
  const after = await s.sage(`/sales_invoices/${invRun.providerEntityId}`);
  assert.equal(
    owedPence(after),
    Math.round(invoice.grand_total * 100) - 3000,
    "allocated against the invoice: Magento's total less the credit, to the penny",
  );
  assert.deepEqual(cnRun.warnings, [], "Ledger's own check (D11) agrees");
  const row = (await s.mirror("creditmemo")).find((m) => Number(m.magento_id) === memoId)!;
  assert.equal(row.sync_status, "synced");
  assert.equal(row.provider_reference, cnRun.providerReference);
});

test("refund after an online payment: the credit note is paid out as a CUSTOMER_REFUND from the same bank", async () => {
  const invoice = await invoiceFor({ payment_method: "stripe_payments", invoice_state: "paid" });
  const memo = (await s.magento("POST", "creditmemos", { invoice_id: invoice.entity_id, refund: "online" })) as unknown as {
    creditmemo?: { entity_id: number };
    entity_id?: number;
  };
  const memoId = memo.creditmemo?.entity_id ?? memo.entity_id!;
  await s.settle();
  const cnRun = await runFor("creditmemo.created", memoId);
  assert.equal(cnRun.status, "succeeded", `${cnRun.errorClass} ${cnRun.errorMessage}`);
  const { sage: cn } = await expectBooksMatch(s, "creditmemo", memoId, cnRun.providerEntityId);
  assert.equal(owedPence(cn), 0, "refunded");
  assert.deepEqual(cnRun.warnings, []);
  const refunds = (await s.sage(`/contact_payments?transaction_type_id=CUSTOMER_REFUND`)) as { $items: { id: string }[] };
  assert.ok(refunds.$items.length >= 1);
  const refund = await s.sage(`/contact_payments/${refunds.$items[0].id}`);
  assert.equal((refund.bank_account as { id: string }).id, s.refs.cardBank);
  assert.equal(Number(refund.total_amount), invoice.grand_total);
});

test("a credit memo for an invoice that is not in Sage waits for it instead of failing", async () => {
  await s.sageAdmin("POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "error", status: 500, count: 20 });
  const latest = await invoiceFor({ payment_method: "checkmo", invoice_state: "open" });
  assert.equal((await runFor("invoice.created", latest.entity_id)).status, "failed", "Sage refused the invoice");
  const memo = (await s.magento("POST", "creditmemos", {
    invoice_id: latest.entity_id,
    refund: "offline",
    link_invoice: true,
  })) as unknown as { creditmemo?: { entity_id: number }; entity_id?: number };
  const memoId = memo.creditmemo?.entity_id ?? memo.entity_id!;
  const deadline = Date.now() + 60_000;
  for (;;) {
    await s.drain();
    const cn = await runFor("creditmemo.created", memoId);
    if (cn?.status === "waiting") break;
    if (Date.now() > deadline) throw new Error(`credit memo run is ${cn?.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  await s.sageAdmin("POST", "/reset", { faults: true });
  const failed = await runFor("invoice.created", latest.entity_id);
  const { retryRun } = await import("@/lib/sync/retry");
  await retryRun({ tenantId: s.tenantId, runId: failed.id, actorUserId: s.userId });
  await s.settle();
  const cn = await runFor("creditmemo.created", memoId);
  assert.equal(cn.status, "succeeded", `${cn.errorClass} ${cn.errorMessage}`);
  const { sage: inv } = await expectBooksMatch(
    s,
    "invoice",
    latest.entity_id,
    (await runFor("invoice.created", latest.entity_id)).providerEntityId,
  );
  await expectBooksMatch(s, "creditmemo", memoId, cn.providerEntityId);
  assert.equal(owedPence(await s.sage(`/sales_invoices/${inv.id}`)), 0, "the full credit note was allocated once the invoice arrived");
  assert.deepEqual(cn.warnings, [], "D11: a full credit leaves exactly 0 owed");
});

import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { expectBooksMatch } from "@/test/support/books";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

let s: SyncStack;
before(async () => {
  s = await startSyncStack({ policy: { invoice_number_prefix: "MAG-" } });
  await s.magento("POST", "products", { sku: "MB01", name: "Messenger Bag", type_id: "simple", price: 34, tax_class_id: 2 });
});
after(() => s?.stop());

test("invoice.created: Magento invoice → Sage sales invoice with Magento's totals, chip synced with SI-n", async () => {
  const customer = (await s.magento("POST", "customers", {
    email: "jo@example.com",
    firstname: "Jo",
    lastname: "Bloggs",
    country: "GB",
  })) as unknown as { entity_id: number };
  const { invoice } = (await s.magento("POST", "orders", {
    customer_id: customer.entity_id,
    currency: "GBP",
    lines: [{ sku: "MB01", qty: 2, tax_percent: 20 }],
    shipping_amount: 5,
    shipping_tax_percent: 20,
    payment_method: "checkmo",
    invoice_state: "open",
  })) as unknown as { invoice: { entity_id: number; grand_total: number; increment_id: string } };
  await s.settle({ expectRuns: 2 });

  const runs = await s.runs();
  const inv = runs.find((r) => r.event === "invoice.created");
  assert.ok(inv, "an invoice.created run");
  assert.equal(inv.status, "succeeded", `run: ${inv.status} ${inv.errorClass} ${inv.errorMessage}`);
  assert.match(inv.providerReference ?? "", /^SI-\d+$/);

  const { sage: doc } = await expectBooksMatch(s, "invoice", invoice.entity_id, inv.providerEntityId);
  assert.equal(Number(doc.total_amount), invoice.grand_total, "Sage total equals Magento's grand total");
  assert.deepEqual(inv.warnings, [], "Ledger's own posting check (D11) agrees");
  assert.equal(doc.reference, `MAG-${invoice.increment_id}`);
  assert.equal((doc.contact as { displayed_as: string }).displayed_as.includes("Jo Bloggs"), true);

  const mirror = await s.mirror("invoice");
  const row = mirror.find((m) => Number(m.magento_id) === invoice.entity_id);
  assert.ok(row, "mirror row for the invoice");
  assert.equal(row.sync_status, "synced");
  assert.equal(row.provider_reference, inv.providerReference);
  assert.equal(row.provider_entity_id, inv.providerEntityId);
});

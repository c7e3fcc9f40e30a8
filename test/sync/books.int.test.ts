import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { expectBooksMatch, owedPence } from "@/test/support/books";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

/**
 * Books that provably match (decisions D10, D11, D12), end to end through both simulators: what the
 * Sage emulator STORED — its own arithmetic, not what Ledger posted — against the Magento entity.
 */

type Entity = { entity_id: number };
type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };

let s: SyncStack;
before(async () => {
  s = await startSyncStack();
  await s.savePolicy({ invoice_number_prefix: "MAG-", payment_method_map: { stripe_payments: s.refs.cardBank } });
  await s.magento("POST", "products", { sku: "GIFT", name: "Gift hamper", type_id: "simple", price: 49.95, tax_class_id: 2 });
});
after(() => s?.stop());

const runsOf = async (event: string, id: number) => (await s.runs()).filter((r) => r.event === event && r.magentoEntityId === id);

/**
 * Save an entity again 20 seconds later. Magento only enqueues a key it already sent once the old
 * outbox row is cleaned up (wire-protocol §6.2); `outbox:cleanup --days=0` stands in for that. The
 * store's clock goes back afterwards, so later tokens stay within Ledger's 30 s skew allowance.
 */
async function saveAgainLater(save: () => Promise<unknown>): Promise<void> {
  await s.magento("POST", "clock", { advance_seconds: 20 });
  try {
    await s.magento("POST", "outbox/gc", { days: 0 });
    await save();
    await s.settle();
  } finally {
    await s.magento("POST", "clock", { advance_seconds: -20 });
  }
}

test("D10: the 1 × 41.625 invoice (tax-inclusive 49.95, shipping 31.50) lands at 87.75 in Sage, and its payment leaves nothing owed", async () => {
  const { invoice } = (await s.magento("POST", "orders", {
    guest: { email: "hamper@example.com", firstname: "Hal", lastname: "Hamper" },
    prices_include_tax: true,
    lines: [{ sku: "GIFT", qty: 1, tax_percent: 20 }],
    shipping_amount: 31.5,
    shipping_tax_percent: 20,
    payment_method: "stripe_payments",
    invoice_state: "paid",
  })) as unknown as Created;
  assert.equal(invoice.grand_total, 87.75);
  await s.settle();
  const magento = (await s.magento("GET", `canonical/invoice/${invoice.entity_id}`)) as unknown as {
    lines: { unit_price: number; line_subtotal: number }[];
  };
  assert.deepEqual(
    [magento.lines[0].unit_price, magento.lines[0].line_subtotal],
    [41.625, 41.62],
    "Magento's 4-dp unit price on a 2-dp row",
  );

  const [created] = await runsOf("invoice.created", invoice.entity_id);
  assert.equal(created.status, "succeeded", `${created.errorClass} ${created.errorMessage}`);
  assert.deepEqual(created.warnings, [], "Ledger's own check agrees");
  const { sage } = await expectBooksMatch(s, "invoice", invoice.entity_id, created.providerEntityId);
  assert.equal(sage.total_amount, "87.75");
  const [paid] = await runsOf("invoice.paid", invoice.entity_id);
  assert.equal(paid.status, "succeeded", `${paid.errorClass} ${paid.errorMessage}`);
  assert.deepEqual(paid.warnings, []);
  const after = await s.sage(`/sales_invoices/${created.providerEntityId}`);
  assert.equal(owedPence(after), 0, "a full payment leaves exactly 0 outstanding");
  assert.equal((after.status as { id: string }).id, "PAID");
});

test("D12: a product saved twice within a minute (stock 40, then 37) ends at 37 in Sage with a −3 movement", async () => {
  await s.savePolicy({
    invoice_number_prefix: "MAG-",
    payment_method_map: { stripe_payments: s.refs.cardBank },
    sync_products: true,
    sync_stock: true,
    default_purchase_ledger_account_id: s.refs.purchase,
  });
  const p = (await s.magento("POST", "products", {
    sku: "STOVE-1",
    name: "Camp stove",
    type_id: "simple",
    price: 45,
    cost: 20,
    stock_qty: 40,
  })) as unknown as Entity;
  await s.settle();
  await saveAgainLater(() => s.magento("POST", `products/${p.entity_id}/stock`, { qty: 37 }));

  const runs = await runsOf("product.upserted", p.entity_id);
  assert.equal(runs.length, 2, "the second save started its own run instead of answering the first one's id");
  assert.deepEqual(
    runs.map((r) => r.status),
    ["succeeded", "succeeded"],
    runs.map((r) => `${r.errorClass} ${r.errorMessage}`).join("; "),
  );
  const item = await s.sage(`/stock_items/${runs[1].providerEntityId}`);
  assert.equal(Number(item.quantity_in_stock), 37);
  const moves = (await s.sage(`/stock_movements?stock_item_id=${item.id}&attributes=all`)) as {
    $items: { quantity: string; date: string }[];
  };
  assert.deepEqual(
    moves.$items.map((m) => Number(m.quantity)).sort((a, b) => b - a),
    [40, -3],
  );
});

test("D12: a EUR customer's phone change reaches both its Sage contacts (GBP and EUR)", async () => {
  const c = (await s.magento("POST", "customers", {
    email: "eva@example.fr",
    firstname: "Eva",
    lastname: "Euro",
    country: "FR",
  })) as unknown as Entity;
  await s.settle();
  const { invoice } = (await s.magento("POST", "orders", {
    customer_id: c.entity_id,
    currency: "EUR",
    base_to_order_rate: 1.17,
    lines: [{ sku: "GIFT", qty: 2, tax_percent: 0 }],
    payment_method: "checkmo",
    invoice_state: "open",
  })) as unknown as Created;
  await s.settle();
  const [customerRun] = await runsOf("customer.upserted", c.entity_id);
  const [invoiceRun] = await runsOf("invoice.created", invoice.entity_id);
  assert.equal(invoiceRun.status, "succeeded", `${invoiceRun.errorClass} ${invoiceRun.errorMessage}`);
  const { sage: eurInvoice } = await expectBooksMatch(s, "invoice", invoice.entity_id, invoiceRun.providerEntityId);
  const gbp = customerRun.providerEntityId!;
  const eur = (eurInvoice.contact as { id: string }).id;
  assert.notEqual(gbp, eur, "one contact per currency");

  await saveAgainLater(() => s.magento("POST", `customers/${c.entity_id}`, { telephone: "+33 6 12 34 56 78" }));
  const runs = await runsOf("customer.upserted", c.entity_id);
  assert.equal(runs.length, 2);
  assert.equal(runs[1].status, "succeeded", `${runs[1].errorClass} ${runs[1].errorMessage}`);
  for (const [id, ref] of [
    [gbp, `M${c.entity_id}`],
    [eur, `M${c.entity_id}E`],
  ]) {
    const contact = await s.sage(`/contacts/${id}`);
    assert.equal(contact.reference, ref);
    assert.equal((contact.main_contact_person as { telephone?: string }).telephone, "+33 6 12 34 56 78", `${ref} has the new phone`);
  }
  const eurContact = await s.sage(`/contacts/${eur}`);
  assert.equal((eurContact.currency as { id: string }).id, "EUR", "the EUR contact keeps its currency");
  assert.match(String(eurContact.name), /\(EUR\)$/);
});

test("D11: a Sage that stores a wrong total produces total_mismatch with both figures, not a silent success", async () => {
  await s.sageAdmin("POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "wrong_total", delta: 0.01, count: 1 });
  const { invoice } = (await s.magento("POST", "orders", {
    guest: { email: "wrong@example.com", firstname: "Wes", lastname: "Wrong" },
    prices_include_tax: true,
    lines: [{ sku: "GIFT", qty: 1, tax_percent: 20 }],
    shipping_amount: 31.5,
    shipping_tax_percent: 20,
    payment_method: "stripe_payments",
    invoice_state: "paid",
  })) as unknown as Created;
  await s.settle();
  const [created] = await runsOf("invoice.created", invoice.entity_id);
  assert.equal(created.status, "succeeded", "the document is in Sage");
  assert.deepEqual(created.warnings, ["total_mismatch"]);
  const stored = await s.sage(`/sales_invoices/${created.providerEntityId}`);
  assert.equal(stored.total_amount, "87.76", "the emulator kept its wrong figure");
  const details = created.warningDetails as { field: string; sage: number; magento: number; reference: string; after: string }[];
  assert.deepEqual(
    details.map((d) => [d.field, d.sage, d.magento, d.after]),
    [["total_amount", 87.76, 87.75, "create"]],
  );
  assert.equal(details[0].reference, created.providerReference);

  // Magento's full payment then leaves the penny owed in Sage: the payment run says so too.
  const [paid] = await runsOf("invoice.paid", invoice.entity_id);
  assert.equal(paid.status, "succeeded");
  assert.deepEqual(paid.warnings, ["total_mismatch"]);
  assert.deepEqual(
    (paid.warningDetails as { field: string; sage: number; magento: number }[]).map((d) => [d.field, d.sage, d.magento]),
    [["outstanding_amount", 0.01, 0]],
  );

  // …visible in run detail line by line, in the history filter and on Home.
  const { getRunDetail } = await import("@/lib/history/detail");
  const { describeMismatch } = await import("@/lib/books/verify-posting");
  const detail = await getRunDetail(s.tenantId, created.id);
  assert.deepEqual(detail?.mismatches.map(describeMismatch), ["Total: Sage 87.76 GBP, Magento 87.75 GBP (Sage +0.01)"]);
  const { parseHistoryFilter } = await import("@/lib/history/filter");
  const { listRuns, countRuns } = await import("@/lib/history/query");
  const withWarnings = await listRuns(s.tenantId, parseHistoryFilter({ warning: "total_mismatch" }));
  assert.deepEqual(withWarnings.rows.map((r) => r.id).sort(), [created.id, paid.id].sort());
  assert.equal((await countRuns(s.tenantId, parseHistoryFilter({}))).byWarning.total_mismatch, 2);
  const { booksCheckForTenant } = await import("@/lib/books/summary");
  const home = await booksCheckForTenant(s.tenantId);
  assert.equal(home.mismatched, 2);
  assert.ok(home.checked >= 4);
});

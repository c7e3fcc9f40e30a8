import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { expectBooksMatch } from "@/test/support/books";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };
type Doc = Record<string, unknown> & { invoice_lines: Record<string, unknown>[]; contact: { id: string; displayed_as: string } };

let s: SyncStack;
before(async () => {
  s = await startSyncStack();
  await s.savePolicy({
    invoice_number_prefix: "MAG-",
    b2c_consolidation: {
      enabled: true,
      min_total_for_individual: 500,
      fallback_contact_name: "Web Sales",
      fallback_contact_email: "web@shop.test",
      fallback_contact_reference: "WEBSALES",
    },
  });
  for (const p of [
    { sku: "BOOT", name: "Hiking Boot", type_id: "simple", price: 80, tax_class_id: 2 },
    { sku: "MAP", name: "Trail Map &amp; Guide", type_id: "simple", price: 10, tax_class_id: 6 },
    { sku: "EBOOK", name: "E-book", type_id: "downloadable", price: 15, tax_class_id: 2 },
    { sku: "KIDS", name: "Kids Jacket", type_id: "simple", price: 30, tax_class_id: 5 },
  ])
    await s.magento("POST", "products", p);
});
after(() => s?.stop());

async function post(body: Record<string, unknown>) {
  const { invoice } = (await s.magento("POST", "orders", {
    payment_method: "checkmo",
    invoice_state: "open",
    ...body,
  })) as unknown as Created;
  await s.settle();
  const run = (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === invoice.entity_id)!;
  // Every invoice that reached Sage is held there exactly as Magento has it (Sage's own sums, D10/D1).
  const doc = run.providerEntityId ? ((await expectBooksMatch(s, "invoice", invoice.entity_id, run.providerEntityId)).sage as Doc) : null;
  if (doc) assert.ok(!run.warnings.includes("total_mismatch"), `D11 check: ${JSON.stringify(run.warningDetails)}`);
  return { invoice, run, doc };
}

test("mixed-rate UK order with a discount and shipping: per-line routing (D2) and Magento's total to the penny", async () => {
  const { invoice, run, doc } = await post({
    guest: { email: "mixed@example.com", firstname: "Mia", lastname: "Mix" },
    lines: [
      { sku: "BOOT", qty: 1, tax_percent: 20, discount_percent: 10 },
      { sku: "MAP", qty: 2, tax_percent: 0 },
      { sku: "KIDS", qty: 1, tax_percent: 5, discount_percent: 10 },
    ],
    shipping_amount: 4.99,
    shipping_tax_percent: 20,
  });
  assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);
  assert.equal(Number(doc!.total_amount), invoice.grand_total);
  assert.deepEqual(
    doc!.invoice_lines.map((l) => (l.tax_rate as { id: string }).id),
    ["GB_STANDARD", "GB_ZERO", "GB_LOWER"],
  );
  assert.equal(doc!.invoice_lines[1].description, "Trail Map & Guide", "HTML entities decoded");
  assert.equal(doc!.reference, `MAG-${invoice.increment_id}`);
  assert.equal((doc!.shipping_tax_rate as { id: string }).id, "GB_STANDARD");
});

test("B2C consolidation: a small guest order goes on the fallback contact; a big one gets its own", async () => {
  const small = await post({
    guest: { email: "small@example.com", firstname: "Sam", lastname: "Small" },
    lines: [{ sku: "MAP", qty: 1, tax_percent: 0 }],
  });
  const big = await post({
    guest: { email: "big@example.com", firstname: "Bea", lastname: "Big" },
    lines: [{ sku: "BOOT", qty: 7, tax_percent: 20 }],
  });
  assert.equal(small.doc!.contact.displayed_as.includes("Web Sales"), true, small.doc!.contact.displayed_as);
  assert.equal(big.doc!.contact.displayed_as.includes("Bea Big"), true, big.doc!.contact.displayed_as);
  const fallback = await s.sage(`/contacts/${small.doc!.contact.id}`);
  assert.equal(fallback.reference, "WEBSALES");
  // the buyer's address still travels on the consolidated document
  assert.ok((small.doc!.main_address as { address_line_1?: string })?.address_line_1);
});

test("EUR order to France: own EUR contact, exchange rate unchanged (D1), GB_ZERO + one EU type, coercion warning", async () => {
  const { invoice, run, doc } = await post({
    guest: { email: "marie@example.fr", firstname: "Marie", lastname: "Dupont", company: "Dupont SARL" },
    country: "FR",
    currency: "EUR",
    base_to_order_rate: 1.17,
    lines: [
      { sku: "BOOT", qty: 1, tax_percent: 0 },
      { sku: "EBOOK", qty: 1, tax_percent: 0 },
    ],
    shipping_amount: 10,
    shipping_tax_percent: 0,
  });
  assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);
  assert.deepEqual(run.warnings, ["mixed_eu_goods_services_coerced_to_default"]);
  assert.equal(Number(doc!.exchange_rate), 1.17);
  assert.equal((doc!.currency as { id: string }).id, "EUR");
  assert.equal(Number(doc!.total_amount), invoice.grand_total);
  for (const l of doc!.invoice_lines) {
    assert.equal((l.tax_rate as { id: string }).id, "GB_ZERO");
    assert.equal((l.eu_goods_services_type as { id: string }).id, "GOODS", "GOODS + SERVICES coerced to the default");
  }
  assert.equal((doc!.shipping_tax_rate as { id: string }).id, "GB_ZERO");
  const contact = await s.sage(`/contacts/${doc!.contact.id}`);
  assert.match(String(contact.reference), /E$/, "per-currency reference suffix");
  assert.equal((contact.currency as { id: string }).id, "EUR");
  assert.match(String(contact.name), /\(EUR\)$/);
});

test("USD order to the US: GB_ZERO without an EU type; a second USD order reuses the USD contact", async () => {
  const guest = { email: "joe@example.com", firstname: "Joe", lastname: "Yank", company: "Yank Inc" };
  const a = await post({
    guest,
    country: "US",
    currency: "USD",
    base_to_order_rate: 1.27,
    lines: [{ sku: "BOOT", qty: 1, tax_percent: 0 }],
  });
  const b = await post({
    guest,
    country: "US",
    currency: "USD",
    base_to_order_rate: 1.27,
    lines: [{ sku: "MAP", qty: 1, tax_percent: 0 }],
  });
  assert.equal(a.run.status, "succeeded", `${a.run.errorClass} ${a.run.errorMessage}`);
  assert.equal(Number(a.doc!.exchange_rate), 1.27);
  assert.equal((a.doc!.invoice_lines[0].tax_rate as { id: string }).id, "GB_ZERO");
  assert.equal(a.doc!.invoice_lines[0].eu_goods_services_type ?? null, null);
  assert.equal(a.doc!.contact.id, b.doc!.contact.id);
  assert.equal(Number(a.doc!.total_amount), a.invoice.grand_total);
});

test("policy knobs end to end: zero value, sync_since cut-over, website filter — skipped with reasons and chips", async () => {
  await s.savePolicy({ sync_zero_value_invoices: false, sync_since: "2026-01-01T00:00:00Z" });
  await s.magento("POST", "products", { sku: "FREE", name: "Free sticker", type_id: "simple", price: 0, tax_class_id: 6 });
  const zero = await post({
    guest: { email: "z@example.com", firstname: "Zed", lastname: "Zero" },
    lines: [{ sku: "FREE", qty: 1, tax_percent: 0 }],
    payment_method: "free",
  });
  assert.equal(zero.run.status, "skipped_by_policy");
  assert.equal(zero.run.reasonCode, "zero_value_invoice");
  const old = await post({
    guest: { email: "o@example.com", firstname: "Old", lastname: "Order" },
    lines: [{ sku: "MAP", qty: 1, tax_percent: 0 }],
    created_at: "2025-12-24T10:00:00Z",
  });
  assert.equal(old.run.reasonCode, "outside_sync_since");
  await s.savePolicy({ website_filter: [9] });
  const filtered = await post({
    guest: { email: "w@example.com", firstname: "Web", lastname: "Site" },
    lines: [{ sku: "MAP", qty: 1, tax_percent: 0 }],
  });
  assert.equal(filtered.run.reasonCode, "website_filtered");
  const mirror = await s.mirror("invoice");
  for (const [inv, reason] of [
    [zero.invoice, "zero_value_invoice"],
    [old.invoice, "outside_sync_since"],
    [filtered.invoice, "website_filtered"],
  ] as const) {
    const row = mirror.find((m) => Number(m.magento_id) === inv.entity_id)!;
    assert.equal(row.sync_status, "skipped");
    assert.equal(row.skip_reason, reason);
  }
  await s.savePolicy({});
});

test("a replayed event (Magento's resync CLI, same Idempotency-Key) never creates a second document", async () => {
  const { invoice, run } = await post({
    guest: { email: "r@example.com", firstname: "Re", lastname: "Play" },
    lines: [{ sku: "BOOT", qty: 1, tax_percent: 20 }],
  });
  const before = (await s.sage(`/sales_invoices?search=${invoice.increment_id}`)) as { $total: number };
  await s.magento("POST", "invoices/sync", { ids: [invoice.entity_id], event: "created", state: "any" });
  await s.settle();
  const after = (await s.sage(`/sales_invoices?search=${invoice.increment_id}`)) as { $total: number };
  assert.equal(after.$total, before.$total);
  assert.equal(before.$total, 1);
  const runs = (await s.runs()).filter((r) => r.event === "invoice.created" && r.magentoEntityId === invoice.entity_id);
  assert.ok(runs.every((r) => r.status === "succeeded" && r.providerEntityId === run.providerEntityId));
});

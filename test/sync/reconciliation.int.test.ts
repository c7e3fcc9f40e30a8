import "@/test/support/env";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { requestReconciliation } from "@/lib/reconciliation/request";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";

/**
 * Reconciliation through both simulators (issue 16): real syncs into the Sage emulator, the emulator's
 * accountant changing documents afterwards, then the Inngest function comparing the period. Every row
 * class is produced by something that happens in the field, and Sage's side is judged by what the
 * emulator stores.
 */

type Created = { invoice: { entity_id: number; grand_total: number; increment_id: string } };
type Doc = Record<string, unknown> & { id: string; total_amount: string };

let s: SyncStack;
before(async () => {
  s = await startSyncStack({ policy: { invoice_number_prefix: "MAG-" } });
  await s.magento("POST", "products", { sku: "MUG", name: "Mug", type_id: "simple", price: 12, tax_class_id: 2 });
  await s.savePolicy(basePolicy());
  await s.magento("POST", "products", { sku: "FREE", name: "Free sticker", type_id: "simple", price: 0, tax_class_id: 6 });
});
after(() => s?.stop());

const basePolicy = () => ({ invoice_number_prefix: "MAG-", payment_method_map: { stripe_payments: s.refs.cardBank, checkmo: null } });
const order = async (email: string, extra: Record<string, unknown> = {}) =>
  (
    (await s.magento("POST", "orders", {
      guest: { email, firstname: "Rae", lastname: "Conn" },
      lines: [{ sku: "MUG", qty: 1, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
      ...extra,
    })) as unknown as Created
  ).invoice;
const runOf = async (event: string, id: number) => (await s.runs()).find((r) => r.event === event && r.magentoEntityId === id)!;

async function reconcile(period: { start: string; end: string }) {
  const { id } = await requestReconciliation({ tenantId: s.tenantId, bindingId: s.bindingId, period, trigger: "manual" });
  for (let i = 0; i < 600; i++) {
    const rec = await db().reconciliation.findUniqueOrThrow({ where: { id } });
    if (rec.status === "succeeded" || rec.status === "failed")
      return { rec, rows: await db().reconciliationRow.findMany({ where: { reconciliationId: id } }) };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the reconciliation did not finish");
}

test("every class: matched, amount differs, missing, changed (edited, voided, deleted), not from Ledger", async () => {
  const matched = await order("ok@example.com", { invoice_state: "paid", payment_method: "stripe_payments" });
  const edited = await order("edit@example.com");
  const voided = await order("void@example.com");
  const deleted = await order("del@example.com");
  await s.settle();
  // Sage stores a total a penny off Magento's from the start (D11's silent error).
  await s.sageAdmin("POST", "/faults", { method: "POST", path: "/v3.1/sales_invoices", kind: "wrong_total", delta: 0.01, count: 1 });
  const drift = await order("drift@example.com");
  await s.settle();
  // A run Sage refuses, and one the policy skips.
  await s.savePolicy({ ...basePolicy(), tax_rate_map: { "20.00": "GB_RETIRED_RATE" } });
  const failed = await order("fail@example.com");
  await s.settle();
  await s.savePolicy({ ...basePolicy(), sync_zero_value_invoices: false });
  const skipped = await order("free@example.com", { lines: [{ sku: "FREE", qty: 1, tax_percent: 0 }], payment_method: "free" });
  await s.settle();

  const sageIdOf = async (id: number) => (await runOf("invoice.created", id)).providerEntityId!;
  // The accountant at work in Sage after posting.
  await s.sageAdmin("PATCH", `/documents/sales_invoices/${await sageIdOf(edited.entity_id)}`, { lines: [{ index: 0, unit_price: 11 }] });
  await s.sageAdmin("POST", `/documents/sales_invoices/${await sageIdOf(voided.entity_id)}/void`, { void_reason: "Order cancelled" });
  await s.sageAdmin("DELETE", `/documents/sales_invoices/${await sageIdOf(deleted.entity_id)}`);
  const dup = (await s.sageAdmin("POST", `/documents/sales_invoices/${await sageIdOf(matched.entity_id)}/duplicate`, {})) as Doc;
  const original = (await s.sage(`/sales_invoices/${await sageIdOf(matched.entity_id)}`)) as Doc;
  const today = String(original.date);

  const { rec, rows } = await reconcile({ start: today, end: today });
  assert.equal(rec.status, "succeeded", rec.errorMessage ?? "");
  assert.equal(rec.progress, 100);
  const invoiceRow = (id: number) => rows.find((r) => r.documentType === "invoice" && Number(r.magentoEntityId) === id);
  const pence = (x: number | string) => Math.round(Number(x) * 100);

  const m = invoiceRow(matched.entity_id)!;
  assert.equal(m.class, "matched");
  assert.equal(m.magentoPence, pence(matched.grand_total));
  assert.equal(m.sagePence, pence(original.total_amount), "Sage's side is what the emulator stores");
  assert.equal(m.differencePence, 0);
  const pay = rows.find((r) => r.documentType === "payment" && Number(r.magentoEntityId) === matched.entity_id);
  assert.equal(pay?.class, "matched", "the receipt in Sage matches Magento's payment");

  const d = invoiceRow(drift.entity_id)!;
  assert.equal(d.class, "amount_differs");
  assert.equal(d.differencePence, 1, "a penny, as Sage stored it");

  const f = invoiceRow(failed.entity_id)!;
  assert.equal(f.class, "missing_in_sage");
  assert.equal(f.reason, "failed:provider");
  assert.match(f.reasonDetail ?? "", /tax_rate|Couldn't find/i);
  const sk = invoiceRow(skipped.entity_id)!;
  assert.equal(sk.class, "missing_in_sage");
  assert.equal(sk.reason, "skipped:zero_value_invoice");

  const e = invoiceRow(edited.entity_id)!;
  const editedDoc = (await s.sage(`/sales_invoices/${e.sageId}`)) as Doc;
  assert.deepEqual([e.class, e.reason, e.sagePence], ["changed_in_sage", "edited", pence(editedDoc.total_amount)]);
  assert.notEqual(e.sagePence, e.magentoPence);
  const v = invoiceRow(voided.entity_id)!;
  assert.deepEqual([v.class, v.reason, v.sageStatus, v.sagePence], ["changed_in_sage", "voided", "VOID", 0]);
  const del = invoiceRow(deleted.entity_id)!;
  assert.deepEqual([del.class, del.reason, del.sageStatus], ["changed_in_sage", "deleted", "DELETED"]);

  const foreign = rows.filter((r) => r.class === "not_from_ledger");
  assert.deepEqual(
    foreign.map((r) => [r.sageId, r.reason, r.sageDocReference]),
    [[dup.id, "duplicate", original.reference]],
  );

  const counts = rec.counts as Record<string, number>;
  assert.deepEqual(counts, { matched: 2, amount_differs: 1, missing_in_sage: 2, changed_in_sage: 3, not_from_ledger: 1 });
  const totals = rec.totals as {
    byCurrency: { currency: string; documentType: string; magentoPence: number; sagePence: number; differencePence: number }[];
  };
  const gbpInvoices = totals.byCurrency.find((t) => t.currency === "GBP" && t.documentType === "invoice")!;
  const invRows = rows.filter((r) => r.documentType === "invoice");
  assert.equal(
    gbpInvoices.magentoPence,
    invRows.reduce((a, r) => a + (r.magentoPence ?? 0), 0),
  );
  assert.equal(
    gbpInvoices.sagePence,
    invRows.reduce((a, r) => a + (r.sagePence ?? 0), 0),
  );
  assert.equal(gbpInvoices.differencePence, gbpInvoices.sagePence - gbpInvoices.magentoPence);
  assert.ok(rec.sageCalls >= 3 && rec.sageCalls <= 8, `a handful of list calls, not one per document (${rec.sageCalls})`);

  const summary = rec.differenceSummary as { differences: number; byClass: Record<string, number> };
  assert.equal(summary.differences, 7, "the differences seam recorded what it was told");
  assert.ok(rec.notifiedAt);

  // ...and raised one reconciliation_differences alert for the digest, linking to this reconciliation.
  const alerts = await db().alertEvent.findMany({ where: { tenantId: s.tenantId, kind: "reconciliation_differences" } });
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].summary, /^Reconciliation .*: 7 differences \(/);
  assert.ok(alerts[0].link?.includes(`run=${rec.id}`), alerts[0].link ?? "no link");
});

test("a period without documents reconciles to nothing, and records no differences", async () => {
  const { rec, rows } = await reconcile({ start: "2020-01-01", end: "2020-01-31" });
  assert.equal(rec.status, "succeeded");
  assert.equal(rows.length, 0);
  assert.equal(rec.differenceSummary, null);
  assert.equal(
    await db().alertEvent.count({
      where: { tenantId: s.tenantId, kind: "reconciliation_differences", dedupeKey: `reconciliation:${rec.id}` },
    }),
    0,
  );
});

test("the daily schedule reconciles yesterday once per binding", async () => {
  const { scheduleDailyReconciliations } = await import("@/lib/reconciliation/request");
  const now = new Date("2026-06-02T03:00:00Z");
  assert.deepEqual(await scheduleDailyReconciliations(now), { requested: 1 });
  assert.deepEqual(await scheduleDailyReconciliations(now), { requested: 0 }, "a second tick the same day starts nothing");
  const rec = await db().reconciliation.findFirstOrThrow({ where: { bindingId: s.bindingId, trigger: "schedule" } });
  assert.equal(rec.periodStart.toISOString().slice(0, 10), "2026-06-01");
  assert.equal(rec.periodEnd.toISOString().slice(0, 10), "2026-06-01");
  for (let i = 0; i < 600; i++) {
    const cur = await db().reconciliation.findUniqueOrThrow({ where: { id: rec.id } });
    if (cur.status === "succeeded") return;
    assert.notEqual(cur.status, "failed", cur.errorMessage ?? "");
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail("the scheduled reconciliation did not finish");
});

test("the demo's moment: an invoice edited in Sage after posting shows as changed in Sage", async () => {
  const { prepareReconciliationMoment } = await import("@/scripts/demo/reconcile");
  const lines: string[] = [];
  const { reconciliationId } = await prepareReconciliationMoment({
    tenantId: s.tenantId,
    bindingId: s.bindingId,
    sageUrl: s.sageUrl,
    say: (l) => lines.push(l),
  });
  assert.ok(reconciliationId, lines.join("\n"));
  for (let i = 0; i < 600; i++) {
    const rec = await db().reconciliation.findUniqueOrThrow({ where: { id: reconciliationId } });
    if (rec.status === "succeeded") break;
    assert.notEqual(rec.status, "failed", rec.errorMessage ?? "");
    await new Promise((r) => setTimeout(r, 100));
  }
  const newest = await db().syncRun.findFirstOrThrow({
    where: { bindingId: s.bindingId, event: "invoice.created", status: "succeeded" },
    orderBy: { createdAt: "desc" },
  });
  const row = await db().reconciliationRow.findFirstOrThrow({ where: { reconciliationId, runId: newest.id } });
  assert.deepEqual([row.class, row.reason], ["changed_in_sage", "edited"]);
  const doc = (await s.sage(`/sales_invoices/${newest.providerEntityId}`)) as { total_amount: string };
  assert.equal(row.sagePence, Math.round(Number(doc.total_amount) * 100), "Sage's side is what the emulator now stores");
  assert.match(lines.join("\n"), /edited in Sage after posting/);
});

test("starting a reconciliation checks the workspace, the binding and the period", async () => {
  const { AppError } = await import("@/lib/errors");
  const other = await db().tenant.create({ data: { name: "Someone else" } });
  const period = { start: "2026-04-01", end: "2026-04-30" };
  await assert.rejects(
    requestReconciliation({ tenantId: other.id, bindingId: s.bindingId, period, trigger: "manual" }),
    (e: unknown) => e instanceof AppError && e.code === "not_found",
    "another workspace's binding is not found",
  );
  await assert.rejects(
    requestReconciliation({
      tenantId: s.tenantId,
      bindingId: s.bindingId,
      period: { start: "2026-01-01", end: "2026-12-31" },
      trigger: "manual",
    }),
  );
  assert.equal(await db().reconciliation.count({ where: { tenantId: other.id } }), 0);
});

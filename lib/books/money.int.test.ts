import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { db } from "@/lib/db";
import { insertRuns, seedTenant, type RunSpec, type SeededTenant } from "@/test/support/builders/runs";
import { truncateAll } from "@/test/support/db";
import { moneyForTenant } from "./money";

let acme: SeededTenant;
let rival: SeededTenant;

beforeEach(async () => {
  await truncateAll();
  acme = await seedTenant("Acme", 1);
  rival = await seedTenant("Rival", 1);
});
after(async () => {
  await db().$disconnect();
});

const ago = (min: number) => new Date(Date.now() - min * 60_000);
const run = (bindingId: string, event: string, entityId: number, extra: Partial<RunSpec>): RunSpec => ({
  bindingId,
  event: event as RunSpec["event"],
  entityId,
  ...extra,
});
const inv = (b: string, id: number, total: string, currency: string, extra: Partial<RunSpec>) =>
  run(b, "invoice.created", id, { summary: { total, currency }, ...extra });

test("Home's money: posted, not posted by reason, posted but unpaid, per currency, to the penny; latest run decides; tenant-scoped", async () => {
  const b = acme.bindingIds[0];
  await insertRuns(acme.tenantId, [
    inv(b, 1, "10.10", "GBP", { status: "succeeded", createdAt: ago(10) }),
    inv(b, 2, "20.20", "GBP", { status: "succeeded", createdAt: ago(10) }),
    run(b, "invoice.paid", 2, { status: "skipped_by_policy", reasonCode: "payment_method_not_mapped", createdAt: ago(9) }),
    inv(b, 3, "0.03", "GBP", { status: "failed", errorClass: "provider", createdAt: ago(20) }),
    inv(b, 3, "0.03", "GBP", { status: "succeeded", createdAt: ago(5) }), // retried: the latest run decides
    inv(b, 4, "5.05", "GBP", { status: "skipped_by_policy", reasonCode: "unpaid_invoice", createdAt: ago(10) }),
    inv(b, 5, "7.00", "EUR", { status: "failed", errorClass: "validation", createdAt: ago(10) }),
    inv(b, 6, "99.00", "GBP", { status: "succeeded", createdAt: ago(60 * 24 * 40) }), // older than the period
  ]);
  await insertRuns(rival.tenantId, [inv(rival.bindingIds[0], 1, "1000.00", "GBP", { status: "succeeded", createdAt: ago(1) })]);

  const rows = await moneyForTenant(acme.tenantId);
  assert.deepEqual(
    rows.map((r) => [r.currency, r.posted, r.postedCount, r.notPosted, r.notPostedCount, r.postedUnpaid, r.postedUnpaidCount]),
    [
      ["EUR", "0.00", 0, "7.00", 1, "0.00", 0],
      ["GBP", "30.33", 3, "5.05", 1, "20.20", 1],
    ],
  );
  assert.deepEqual(rows[0].notPostedWhy, [{ code: "validation", amount: "7.00", count: 1 }]);
  assert.deepEqual(rows[1].notPostedWhy, [{ code: "unpaid_invoice", amount: "5.05", count: 1 }]);
});

import "@/test/support/env";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { syncStateFor } from "@/lib/sync/state-push";
import { insertRuns, seedTenant, type RunSpec } from "@/test/support/builders/runs";
import { truncateAll } from "@/test/support/db";
import { documentsCte } from "./documents";
import { invoiceChip, invoiceChipRun, type ChipVariant, type RunStatusName } from "./vocabulary";

/**
 * Decision D4 — the one rule for an invoice's chip, as one table of cases that every place deciding
 * it is held to: the TypeScript rule (`invoiceChip`, `invoiceChipRun`), the SQL of the Invoices view
 * run against real PostgreSQL, and the chip a settled payment run pushes to Magento's mirror.
 *
 * Each row: the latest invoice.created run's status, the latest invoice.paid run's status (null: no
 * such run), the chip, whose run decides it, and what the payment run pushes when it settles (null:
 * a live payment pushes nothing). The push column is for an invoice Sage does not hold yet: once Sage
 * holds it, its own state is `synced` whatever its latest run says (test/sync covers that path).
 */
type S = RunStatusName | null;
const CASES: [
  invoice: S,
  payment: S,
  chip: ChipVariant,
  decidedBy: "invoice" | "payment",
  pushed: "synced" | "skipped" | "failed" | null,
][] = [
  [null, "queued", "pending", "payment", null],
  [null, "running", "pending", "payment", null],
  [null, "waiting", "pending", "payment", null],
  [null, "succeeded", "none", "payment", "skipped"],
  [null, "skipped_by_policy", "none", "payment", "skipped"],
  [null, "failed", "failed", "payment", "failed"],
  ["queued", null, "pending", "invoice", null],
  ["queued", "queued", "pending", "invoice", null],
  ["queued", "running", "pending", "invoice", null],
  ["queued", "waiting", "pending", "invoice", null],
  ["queued", "succeeded", "pending", "invoice", "skipped"],
  ["queued", "skipped_by_policy", "pending", "invoice", "skipped"],
  ["queued", "failed", "failed", "payment", "failed"],
  ["running", null, "pending", "invoice", null],
  ["running", "queued", "pending", "invoice", null],
  ["running", "running", "pending", "invoice", null],
  ["running", "waiting", "pending", "invoice", null],
  ["running", "succeeded", "pending", "invoice", "skipped"],
  ["running", "skipped_by_policy", "pending", "invoice", "skipped"],
  ["running", "failed", "failed", "payment", "failed"],
  ["waiting", null, "pending", "invoice", null],
  ["waiting", "queued", "pending", "invoice", null],
  ["waiting", "running", "pending", "invoice", null],
  ["waiting", "waiting", "pending", "invoice", null],
  ["waiting", "succeeded", "pending", "invoice", "skipped"],
  ["waiting", "skipped_by_policy", "pending", "invoice", "skipped"],
  ["waiting", "failed", "failed", "payment", "failed"],
  ["succeeded", null, "synced", "invoice", null],
  ["succeeded", "queued", "synced", "invoice", null],
  ["succeeded", "running", "synced", "invoice", null],
  ["succeeded", "waiting", "synced", "invoice", null],
  ["succeeded", "succeeded", "synced", "invoice", "synced"],
  ["succeeded", "skipped_by_policy", "synced", "invoice", "synced"],
  ["succeeded", "failed", "failed", "payment", "failed"],
  ["skipped_by_policy", null, "skipped", "invoice", null],
  ["skipped_by_policy", "queued", "skipped", "invoice", null],
  ["skipped_by_policy", "running", "skipped", "invoice", null],
  ["skipped_by_policy", "waiting", "skipped", "invoice", null],
  ["skipped_by_policy", "succeeded", "skipped", "invoice", "skipped"],
  ["skipped_by_policy", "skipped_by_policy", "skipped", "invoice", "skipped"],
  ["skipped_by_policy", "failed", "failed", "payment", "failed"],
  ["failed", null, "failed", "invoice", null],
  ["failed", "queued", "failed", "invoice", null],
  ["failed", "running", "failed", "invoice", null],
  ["failed", "waiting", "failed", "invoice", null],
  ["failed", "succeeded", "failed", "invoice", "failed"],
  ["failed", "skipped_by_policy", "failed", "invoice", "failed"],
  ["failed", "failed", "failed", "payment", "failed"],
];

describe("D4: one table of cases for the invoice chip", () => {
  it("covers every pair of statuses (and a missing run on either side)", () => {
    assert.equal(CASES.length, 7 * 7 - 1);
    assert.equal(new Set(CASES.map(([i, p]) => `${i}/${p}`)).size, CASES.length);
  });

  it("the TypeScript rule", () => {
    for (const [i, p, chip, decidedBy] of CASES) {
      assert.equal(invoiceChip(i, p), chip, `${i} / ${p}`);
      assert.equal(invoiceChipRun(i, p), decidedBy, `${i} / ${p}`);
    }
  });

  describe("against real PostgreSQL", () => {
    let tenantId: string;
    let bindingId: string;
    /** Magento invoice id per case: 1000 + its row. */
    const entity = (row: number) => 1000 + row;

    before(async () => {
      await truncateAll();
      const t = await seedTenant("ChipRule", 1);
      tenantId = t.tenantId;
      bindingId = t.bindingIds[0];
      const specs: RunSpec[] = CASES.flatMap(([i, p], row) => [
        ...(i
          ? [
              {
                bindingId,
                event: "invoice.created" as const,
                entityId: entity(row),
                status: i,
                reasonCode: i === "skipped_by_policy" ? "unpaid_invoice" : undefined,
                errorClass: i === "failed" ? "validation" : undefined,
              },
            ]
          : []),
        ...(p
          ? [
              {
                bindingId,
                event: "invoice.paid" as const,
                entityId: entity(row),
                status: p,
                reasonCode: p === "skipped_by_policy" ? "payment_method_not_mapped" : undefined,
                errorClass: p === "failed" ? "provider" : undefined,
              },
            ]
          : []),
      ]);
      await insertRuns(tenantId, specs);
    });
    after(async () => {
      await db().$disconnect();
    });

    it("the Invoices view's SQL", async () => {
      const rows = await db().$queryRaw<{ entity_id: bigint; chip: ChipVariant; run_event: string; payment_failed: boolean }[]>`
        WITH ${documentsCte(tenantId, "invoice")} SELECT entity_id, chip, run_event, payment_failed FROM docs`;
      const byEntity = new Map(rows.map((r) => [Number(r.entity_id), r]));
      assert.equal(byEntity.size, CASES.length);
      CASES.forEach(([i, p, chip, decidedBy], row) => {
        const got = byEntity.get(entity(row));
        assert.equal(got?.chip, chip, `${i} / ${p}`);
        assert.equal(got?.run_event, decidedBy === "payment" ? "invoice.paid" : "invoice.created", `${i} / ${p}`);
        assert.equal(got?.payment_failed, p === "failed", `${i} / ${p}`);
      });
    });

    it("the chip a settled payment run pushes to Magento", async () => {
      const payments = await db().syncRun.findMany({ where: { bindingId, event: "invoice.paid" } });
      const byEntity = new Map(payments.map((r) => [Number(r.magentoEntityId), r]));
      for (const [row, [i, p, , , pushed]] of CASES.entries()) {
        if (!p) continue;
        const sent = await syncStateFor(byEntity.get(entity(row))!, null);
        assert.equal(sent?.sync_status ?? null, pushed, `${i} / ${p}`);
      }
    });
  });
});

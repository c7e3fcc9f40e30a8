import { readFileSync, writeFileSync } from "node:fs";
import { MERCHANT_SEED_FILE, type MerchantSeed } from "./seed-merchant";

/**
 * Seed for e2e/reconciliation.spec.ts: in the merchant workspace (e2e/seed-merchant.ts), one finished
 * reconciliation of April 2026 with a row of every class (two of them posted by seeded runs, so the
 * run ↔ row links have both ends; dated April, outside Home's 14-day figures), and one still running for 1 May (the progress bar). Built as
 * lib/reconciliation/run.ts leaves the rows.
 */

export const RECON_SEED_FILE = "test-results/seed-reconciliation.json";
export interface ReconSeed {
  reconciliationId: string;
  matchedRunId: string;
  editedRunId: string;
  editedRowId: string;
}

export async function seedReconciliation(): Promise<ReconSeed> {
  const { db } = await import("../lib/db");
  const { insertRuns } = await import("../test/support/builders/runs");
  const m = JSON.parse(readFileSync(MERCHANT_SEED_FILE, "utf8")) as MerchantSeed;
  const [matchedRunId, editedRunId] = await insertRuns(m.tenantId, [
    {
      bindingId: m.bindingId,
      entityId: 9001,
      incrementId: "100009001",
      status: "succeeded",
      createdAt: new Date("2026-04-02T10:00:00Z"),
      providerEntityId: "a".repeat(32),
      providerReference: "SI-41",
    },
    {
      bindingId: m.bindingId,
      entityId: 9002,
      incrementId: "100009002",
      status: "succeeded",
      createdAt: new Date("2026-04-03T10:00:00Z"),
      providerEntityId: "b".repeat(32),
      providerReference: "SI-42",
    },
  ]);
  const d = (day: number) => new Date(`2026-04-${String(day).padStart(2, "0")}T00:00:00Z`);
  const rows = [
    {
      documentType: "invoice",
      class: "matched",
      documentDate: d(2),
      magentoEntityId: 9001n,
      magentoIncrementId: "100009001",
      runId: matchedRunId,
      magentoPence: 4200,
      sagePence: 4200,
      differencePence: 0,
      sageId: "a".repeat(32),
      sageReference: "SI-41",
      sageStatus: "UNPAID",
    },
    {
      documentType: "invoice",
      class: "changed_in_sage",
      reason: "edited",
      reasonDetail: "Sage showed 30.00 after posting and shows 27.50 now.",
      documentDate: d(3),
      magentoEntityId: 9002n,
      magentoIncrementId: "100009002",
      runId: editedRunId,
      magentoPence: 3000,
      sagePence: 2750,
      differencePence: -250,
      sageId: "b".repeat(32),
      sageReference: "SI-42",
      sageStatus: "UNPAID",
    },
    {
      documentType: "invoice",
      class: "amount_differs",
      documentDate: d(3),
      magentoEntityId: 9003n,
      magentoIncrementId: "100009003",
      magentoPence: 8775,
      sagePence: 8776,
      differencePence: 1,
      sageId: "c".repeat(32),
      sageReference: "SI-43",
      sageStatus: "UNPAID",
    },
    {
      documentType: "invoice",
      class: "missing_in_sage",
      reason: "failed:provider",
      reasonDetail: "line_items.tax_rate_id: Couldn't find record.",
      documentDate: d(4),
      magentoEntityId: 9004n,
      magentoIncrementId: "100009004",
      magentoPence: 1500,
      differencePence: -1500,
    },
    {
      documentType: "invoice",
      class: "not_from_ledger",
      reason: "duplicate",
      documentDate: d(4),
      sagePence: 4200,
      differencePence: 4200,
      sageId: "d".repeat(32),
      sageReference: "SI-44",
      sageDocReference: "HB-100009001",
      sageStatus: "UNPAID",
    },
  ].map((r) => ({ currency: "GBP", baseMagentoPence: r.magentoPence ?? null, baseSagePence: r.sagePence ?? null, ...r }));
  const sum = (k: "magentoPence" | "sagePence") =>
    rows.reduce((a, r) => a + (((r as Record<string, unknown>)[k] as number | undefined) ?? 0), 0);
  const line = {
    currency: "GBP",
    documentType: "invoice",
    magentoPence: sum("magentoPence"),
    sagePence: sum("sagePence"),
    differencePence: sum("sagePence") - sum("magentoPence"),
    documents: rows.length,
  };
  const rec = await db().reconciliation.create({
    data: {
      tenantId: m.tenantId,
      bindingId: m.bindingId,
      periodStart: new Date("2026-04-01"),
      periodEnd: new Date("2026-04-30"),
      status: "succeeded",
      progress: 100,
      sageCalls: 4,
      baseCurrency: "GBP",
      finishedAt: new Date(),
      counts: { matched: 1, amount_differs: 1, missing_in_sage: 1, changed_in_sage: 1, not_from_ledger: 1 },
      totals: { byCurrency: [line], base: [{ ...line, unconverted: 0 }] },
      differenceSummary: { differences: 4 },
      rows: { create: rows },
    },
    include: { rows: true },
  });
  await db().reconciliation.create({
    data: {
      tenantId: m.tenantId,
      bindingId: m.bindingId,
      periodStart: new Date("2026-05-01"),
      periodEnd: new Date("2026-05-01"),
      status: "running",
      progress: 40,
      progressNote: "Reading Sage's invoices (page 2 of 5)",
      sageCalls: 2,
    },
  });
  const seed = {
    reconciliationId: rec.id,
    matchedRunId,
    editedRunId,
    editedRowId: rec.rows.find((r) => r.class === "changed_in_sage")!.id,
  };
  writeFileSync(RECON_SEED_FILE, JSON.stringify(seed));
  return seed;
}

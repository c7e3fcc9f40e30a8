import { db, Prisma } from "@/lib/db";
import { childLog } from "@/lib/log";
import { currentPolicy } from "@/lib/policy/store";
import { sageClientForBinding } from "@/lib/sage/custody";
import { classify, type SageDoc } from "./classify";
import { loadLedgerDocs, postedByLedger } from "./ledger-side";
import { onReconciliationDifferences } from "./notify";
import { isoDate } from "./period";
import { sageReader, type SageReader } from "./sage-side";
import { computeTotals, countByClass } from "./totals";
import { DOCUMENT_TYPES } from "./vocabulary";

/**
 * One reconciliation from start to stored result: Ledger's documents, Sage's lists, the comparison,
 * totals, rows, and the differences seam. Progress (0–100) is written as it goes for the page's bar.
 * Re-running the same reconciliation (a retried step) replaces its rows: the result is a function of
 * the period, the database and what Sage holds now.
 */

const log = childLog({ component: "reconciliation" });
const ROW_CHUNK = 1000;

async function progress(id: string, pct: number, note: string, reader?: SageReader) {
  await db().reconciliation.update({
    where: { id },
    data: { progress: Math.min(99, Math.round(pct)), progressNote: note, ...(reader ? { sageCalls: reader.calls() } : {}) },
  });
}

export interface RunOutcome {
  rows: number;
  differences: number;
  sageCalls: number;
}

export async function runReconciliation(reconciliationId: string): Promise<RunOutcome> {
  const rec = await db().reconciliation.findUnique({
    where: { id: reconciliationId },
    include: { binding: { include: { sageConnection: true } } },
  });
  if (!rec) throw new Error(`Reconciliation ${reconciliationId} does not exist`);
  const conn = rec.binding.sageConnection;
  const period = { start: isoDate(rec.periodStart), end: isoDate(rec.periodEnd) };
  await db().reconciliation.update({
    where: { id: rec.id },
    data: { status: "running", startedAt: new Date(), progress: 2, progressNote: "Reading Ledger's documents", errorMessage: null },
  });
  const baseCurrency = conn?.baseCurrency ?? "GBP";
  const scope = {
    bindingId: rec.bindingId,
    magentoConnectionId: rec.binding.magentoConnectionId,
    sageBusinessId: conn?.businessId ?? "",
    baseCurrency,
  };
  const ledger = await loadLedgerDocs(scope, period);
  const prefix = (await currentPolicy(rec.bindingId)).settings.invoice_number_prefix ?? null;

  const reader = sageReader(await sageClientForBinding(rec.bindingId));
  const sage = new Map<string, SageDoc>();
  for (const [i, type] of DOCUMENT_TYPES.entries()) {
    const docs = await reader.listPeriod(type, period.start, period.end, (page, pages) =>
      progress(
        rec.id,
        10 + ((i + page / pages) / DOCUMENT_TYPES.length) * 70,
        `Reading Sage's ${type}s (page ${page} of ${pages})`,
        reader,
      ),
    );
    for (const d of docs) sage.set(d.id, d);
  }
  // Ledger's documents the lists did not show: dated outside the period in Sage, or deleted there.
  const unseen = ledger.filter((d) => d.sageId && d.runStatus === "succeeded" && !sage.has(d.sageId));
  for (const [i, d] of unseen.entries()) {
    sage.set(d.sageId!, await reader.getOne(d.documentType, d.sageId!));
    if (i % 20 === 19) await progress(rec.id, 80 + (i / unseen.length) * 10, "Looking up documents outside the period", reader);
  }
  const ledgerIds = new Set(ledger.flatMap((d) => (d.sageId ? [d.sageId] : [])));
  const candidates = [...sage.values()].filter((d) => !ledgerIds.has(d.id) && prefix && d.reference?.startsWith(prefix)).map((d) => d.id);
  const posted = await postedByLedger(scope.sageBusinessId, candidates);
  const rows = classify({ ledger, sage, ledgerSageIds: new Set([...ledgerIds, ...posted]), prefix, period });
  const counts = countByClass(rows);
  const totals = computeTotals(rows, baseCurrency);

  await progress(rec.id, 95, "Saving the results", reader);
  await db().$transaction(
    async (tx) => {
      await tx.reconciliationRow.deleteMany({ where: { reconciliationId: rec.id } });
      for (let i = 0; i < rows.length; i += ROW_CHUNK) {
        await tx.reconciliationRow.createMany({
          data: rows.slice(i, i + ROW_CHUNK).map((r) => ({
            ...r,
            reconciliationId: rec.id,
            documentDate: new Date(`${r.documentDate}T00:00:00Z`),
            magentoEntityId: r.magentoEntityId === null ? null : BigInt(r.magentoEntityId),
          })),
        });
      }
      await tx.reconciliation.update({
        where: { id: rec.id },
        data: {
          progress: 99,
          progressNote: "Recording the differences",
          sageCalls: reader.calls(),
          baseCurrency,
          counts: counts as unknown as Prisma.InputJsonValue,
          totals: totals as unknown as Prisma.InputJsonValue,
          differenceSummary: Prisma.DbNull,
          notifiedAt: null,
        },
      });
      // A month of a busy store is thousands of rows: more than Prisma's default 5 s for one transaction.
    },
    { timeout: 120_000 },
  );
  const differences = rows.length - counts.matched;
  if (differences > 0) {
    await onReconciliationDifferences({
      reconciliationId: rec.id,
      tenantId: rec.tenantId,
      bindingId: rec.bindingId,
      period,
      counts,
      examples: rows
        .filter((r) => r.class !== "matched")
        .slice(0, 5)
        .map((r) => ({
          class: r.class,
          documentType: r.documentType,
          reference: r.magentoIncrementId ?? r.sageDocReference ?? r.sageReference,
          differencePence: r.differencePence,
          currency: r.currency,
        })),
    });
  }
  // Succeeded only once the differences are recorded: whoever sees it finished sees the whole result.
  await db().reconciliation.update({
    where: { id: rec.id },
    data: { status: "succeeded", progress: 100, progressNote: null, finishedAt: new Date() },
  });
  log.info(
    { reconciliationId: rec.id, bindingId: rec.bindingId, rows: rows.length, differences, sageCalls: reader.calls() },
    "reconciliation finished",
  );
  return { rows: rows.length, differences, sageCalls: reader.calls() };
}

export async function failReconciliation(reconciliationId: string, message: string): Promise<void> {
  await db().reconciliation.updateMany({
    where: { id: reconciliationId, status: { in: ["queued", "running"] } },
    data: { status: "failed", finishedAt: new Date(), errorMessage: message.slice(0, 500) },
  });
}

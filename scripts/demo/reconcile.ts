import { db } from "@/lib/db";
import { isoDate } from "@/lib/reconciliation/period";
import { requestReconciliation } from "@/lib/reconciliation/request";

/**
 * The demo's reconciliation moment, prepared on the first start after the day is played: the
 * accountant edits one posted invoice in the emulated Sage (its first line's unit price one pound
 * lower, through the emulator's admin API), then Ledger reconciles the day, so the Reconciliation page
 * opens on one "Changed in Sage" row among matched ones (docs/demo.md).
 */

export async function prepareReconciliationMoment(ctx: {
  tenantId: string;
  bindingId: string;
  sageUrl: string;
  say(line: string): void;
}): Promise<{ reconciliationId: string | null }> {
  const run = await db().syncRun.findFirst({
    where: {
      tenantId: ctx.tenantId,
      bindingId: ctx.bindingId,
      event: "invoice.created",
      status: "succeeded",
      providerEntityId: { not: null },
    },
    orderBy: { createdAt: "desc" },
  });
  if (!run?.providerEntityId) {
    ctx.say("reconciliation moment skipped: no invoice reached Sage yet");
    return { reconciliationId: null };
  }
  const docUrl = `${ctx.sageUrl}/_admin/documents/sales_invoices/${run.providerEntityId}`;
  const got = await fetch(docUrl);
  if (!got.ok) throw new Error(`could not read invoice ${run.providerEntityId} in the emulator (${got.status})`);
  const doc = (await got.json()) as { invoice_lines: { unit_price: string }[]; date: string; displayed_as: string };
  const price = Number(doc.invoice_lines[0]?.unit_price ?? 0);
  const edit = await fetch(docUrl, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lines: [{ index: 0, unit_price: (price > 1 ? price - 1 : price / 2).toFixed(2) }] }),
  });
  if (!edit.ok) throw new Error(`the emulator refused the edit (${edit.status})`);
  const day = doc.date ?? isoDate(new Date());
  const { id } = await requestReconciliation({
    tenantId: ctx.tenantId,
    bindingId: ctx.bindingId,
    period: { start: day, end: day },
    trigger: "manual",
  });
  ctx.say(`reconciliation moment: ${doc.displayed_as} edited in Sage after posting; reconciling ${day}`);
  return { reconciliationId: id };
}

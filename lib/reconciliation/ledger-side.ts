import { db, Prisma } from "@/lib/db";
import { toPence } from "@/lib/translate/money";
import type { LedgerDoc } from "./classify";
import type { DocumentType } from "./vocabulary";

/**
 * Ledger's side: every Magento invoice, credit memo and payment the binding received whose document
 * date falls in the period, with its latest run (a retry supersedes what came before) and what Ledger
 * remembers about the Sage document it made (cross-reference: Sage's figure after posting, the rate).
 * Invoices and credit memos are dated as Sage dates them (Magento's created_at, translate/reference.ts);
 * payments by when Magento reported them.
 */

const EVENT_TYPE: Record<string, DocumentType> = {
  "invoice.created": "invoice",
  "creditmemo.created": "creditmemo",
  "invoice.paid": "payment",
};
const XREF_TYPE: Record<DocumentType, string> = { invoice: "sales_invoice", creditmemo: "sales_credit_note", payment: "contact_payment" };

interface RunRow {
  id: string;
  event: string;
  magento_entity_id: bigint;
  magento_increment_id: string | null;
  status: string;
  reason_code: string | null;
  error_class: string | null;
  error_message: string | null;
  provider_entity_id: string | null;
  provider_reference: string | null;
  entity_summary: Record<string, unknown> | null;
  doc_date: string;
}

interface XrefRow {
  entityType: string;
  magentoKey: string;
  sageId: string;
  data: unknown;
}

export interface BindingScope {
  bindingId: string;
  magentoConnectionId: string;
  sageBusinessId: string;
  baseCurrency: string;
}

const num = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v !== "" && Number.isFinite(Number(v)) ? Number(v) : null;

/** Sage's total right after posting: Magento's unless the posting check (D11) recorded Sage's own figure. */
function postedSagePence(data: Record<string, unknown>, magentoPence: number | null): number | null {
  const mismatches = Array.isArray(data.mismatches) ? (data.mismatches as Record<string, unknown>[]) : [];
  const total = mismatches.find((m) => m.field === "total_amount" && m.after === "create" && num(m.sage) !== null);
  if (total) return toPence(num(total.sage)!);
  if (typeof data.totalPence === "number") return data.totalPence;
  if (typeof data.amountPence === "number") return data.amountPence;
  return magentoPence;
}

export async function loadLedgerDocs(scope: BindingScope, period: { start: string; end: string }): Promise<LedgerDoc[]> {
  const runs = await db().$queryRaw<RunRow[]>(Prisma.sql`
    WITH latest AS (
      SELECT DISTINCT ON (event, magento_entity_id) id, event, magento_entity_id, magento_increment_id, status::text AS status,
        reason_code, error_class, error_message, provider_entity_id, provider_reference, entity_summary,
        CASE WHEN event <> 'invoice.paid' AND entity_summary->>'createdAt' ~ '^\\d{4}-\\d{2}-\\d{2}'
          THEN substring(entity_summary->>'createdAt' from 1 for 10)
          ELSE to_char(COALESCE(occurred_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') END AS doc_date
      FROM sync_runs
      WHERE binding_id = ${scope.bindingId}::uuid AND event IN ('invoice.created', 'creditmemo.created', 'invoice.paid')
      ORDER BY event, magento_entity_id, created_at DESC, id DESC)
    SELECT * FROM latest WHERE doc_date BETWEEN ${period.start} AND ${period.end}
    ORDER BY doc_date, event, magento_entity_id`);
  const keys = runs.map((r) => ({ entityType: XREF_TYPE[EVENT_TYPE[r.event]], magentoKey: String(r.magento_entity_id) }));
  const xrefs: XrefRow[] = keys.length
    ? await db().entityXref.findMany({
        where: {
          magentoConnectionId: scope.magentoConnectionId,
          sageBusinessId: scope.sageBusinessId,
          currency: "",
          OR: Object.entries(groupKeys(keys)).map(([entityType, magentoKeys]) => ({ entityType, magentoKey: { in: magentoKeys } })),
        },
        select: { entityType: true, magentoKey: true, sageId: true, data: true },
      })
    : [];
  const byKey = new Map(xrefs.map((x) => [`${x.entityType}|${x.magentoKey}`, x]));
  return runs.map((r) => {
    const type = EVENT_TYPE[r.event];
    const summary = r.entity_summary ?? {};
    const xref = byKey.get(`${XREF_TYPE[type]}|${r.magento_entity_id}`);
    const data = (xref?.data ?? {}) as Record<string, unknown>;
    const currency = String(data.currency ?? summary.currency ?? scope.baseCurrency).toUpperCase();
    // A payment's amount is what Ledger receipted (never more than Sage had outstanding); else the invoice total.
    const magentoTotal = type === "payment" && typeof data.amountPence === "number" ? data.amountPence : num(summary.total);
    const magentoPence =
      magentoTotal === null ? null : type === "payment" && typeof data.amountPence === "number" ? magentoTotal : toPence(magentoTotal);
    const rate = num(data.exchangeRate) ?? (currency === scope.baseCurrency ? 1 : null);
    return {
      documentType: type,
      magentoEntityId: Number(r.magento_entity_id),
      incrementId: r.magento_increment_id ?? (summary.incrementId as string | undefined) ?? null,
      runId: r.id,
      runStatus: r.status,
      reasonCode: r.reason_code,
      errorClass: r.error_class,
      errorMessage: r.error_message,
      documentDate: r.doc_date,
      currency,
      magentoPence,
      sageId: r.provider_entity_id ?? xref?.sageId ?? null,
      sageReference: r.provider_reference,
      postedSagePence: xref ? postedSagePence(data, magentoPence) : null,
      exchangeRate: rate,
    };
  });
}

function groupKeys(keys: { entityType: string; magentoKey: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of keys) (out[k.entityType] ??= []).push(k.magentoKey);
  return out;
}

/** Which of `sageIds` Ledger posted for this business (any binding, any time): the rest are not Ledger's. */
export async function postedByLedger(sageBusinessId: string, sageIds: string[]): Promise<Set<string>> {
  if (sageIds.length === 0) return new Set();
  const rows = await db().entityXref.findMany({
    where: { sageBusinessId, entityType: { in: ["sales_invoice", "sales_credit_note"] }, sageId: { in: sageIds } },
    select: { sageId: true },
  });
  return new Set(rows.map((r) => r.sageId));
}

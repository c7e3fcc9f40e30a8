import type { Change, DocumentType, RowClass } from "./vocabulary";

/**
 * The comparison itself, pure: Ledger's documents in the period against what Sage holds now. Kept free
 * of I/O so every rule is table-tested (classify.test.ts); `run.ts` feeds it from the database and
 * Sage's list endpoints.
 *
 * A document Ledger posted is `changed_in_sage` when Sage's current figure differs from the one Sage
 * itself showed right after posting (edited), or it is void or gone; `amount_differs` when Sage still
 * shows what it stored at posting but that never equalled Magento's (posting drift, decisions D11).
 */

export interface LedgerDoc {
  documentType: DocumentType;
  magentoEntityId: number;
  incrementId: string | null;
  runId: string;
  /** the latest run's status, reason code, error class and message */
  runStatus: string;
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  documentDate: string;
  currency: string;
  magentoPence: number | null;
  sageId: string | null;
  sageReference: string | null;
  /** Sage's total right after Ledger posted it (its posting check, D11); null when unknown */
  postedSagePence: number | null;
  /** document → base (D1: base = document ÷ rate); null when the document is foreign and no rate is known */
  exchangeRate: number | null;
}

export interface SageDoc {
  id: string;
  documentType: DocumentType;
  /** Sage's number (SI-12, CN-3) */
  displayedAs: string | null;
  /** the document's own reference: prefix + Magento increment id for Ledger's */
  reference: string | null;
  date: string | null;
  currency: string | null;
  statusId: string | null;
  totalPence: number;
  basePence: number | null;
  deleted: boolean;
}

export interface RowInput {
  documentType: DocumentType;
  class: RowClass;
  reason: string | null;
  reasonDetail: string | null;
  documentDate: string;
  magentoEntityId: number | null;
  magentoIncrementId: string | null;
  runId: string | null;
  currency: string;
  magentoPence: number | null;
  sagePence: number | null;
  differencePence: number | null;
  baseMagentoPence: number | null;
  baseSagePence: number | null;
  sageId: string | null;
  sageReference: string | null;
  sageDocReference: string | null;
  sageStatus: string | null;
}

export interface ClassifyInput {
  ledger: LedgerDoc[];
  /** Sage documents by id: those Ledger posted (found or marked deleted) and those dated in the period */
  sage: Map<string, SageDoc>;
  /** every Sage id Ledger ever posted for this business (cross-references), to tell duplicates from its own */
  ledgerSageIds: Set<string>;
  /** the binding's invoice prefix; without one, no Sage document can be attributed to the store */
  prefix: string | null;
  period: { start: string; end: string };
}

const WAITING_STATUSES = new Set(["queued", "running", "waiting"]);

/** missing_in_sage reason: the run's own words (status, skip reason or error class). */
function missingReason(d: LedgerDoc): { reason: string; detail: string | null } {
  if (d.runStatus === "failed") return { reason: `failed:${d.errorClass ?? "internal"}`, detail: d.errorMessage };
  if (d.runStatus === "skipped_by_policy") return { reason: `skipped:${d.reasonCode ?? "policy"}`, detail: d.errorMessage };
  if (d.runStatus === "waiting") return { reason: "waiting", detail: d.errorMessage };
  if (WAITING_STATUSES.has(d.runStatus)) return { reason: "pending", detail: null };
  return { reason: "no_document", detail: "The run finished without a Sage document." };
}

const baseOf = (pence: number | null, rate: number | null) => (pence === null || rate === null ? null : Math.round(pence / rate));
const VOID = "VOID";

function ledgerRow(d: LedgerDoc, sage: Map<string, SageDoc>): RowInput {
  const common = {
    documentType: d.documentType,
    documentDate: d.documentDate,
    magentoEntityId: d.magentoEntityId,
    magentoIncrementId: d.incrementId,
    runId: d.runId,
    currency: d.currency,
    magentoPence: d.magentoPence,
    baseMagentoPence: baseOf(d.magentoPence, d.exchangeRate),
    sageReference: d.sageReference,
  };
  if (d.runStatus !== "succeeded" || !d.sageId) {
    const m = missingReason(d);
    return {
      ...common,
      class: "missing_in_sage",
      reason: m.reason,
      reasonDetail: m.detail,
      sagePence: null,
      differencePence: d.magentoPence === null ? null : -d.magentoPence,
      baseSagePence: null,
      sageId: d.sageId,
      sageDocReference: null,
      sageStatus: null,
    };
  }
  const doc = sage.get(d.sageId);
  const gone = !doc || doc.deleted;
  const voided = doc?.statusId === VOID;
  // A void or deleted document no longer counts in Sage's books: its amount there is nothing.
  const sagePence = gone || voided ? 0 : doc.totalPence;
  const diff = d.magentoPence === null ? null : sagePence - d.magentoPence;
  const sageSide = {
    sagePence,
    differencePence: diff,
    baseSagePence: gone || voided ? 0 : (doc.basePence ?? baseOf(doc.totalPence, d.exchangeRate)),
    sageId: d.sageId,
    sageDocReference: doc?.reference ?? null,
    sageStatus: gone ? "DELETED" : (doc.statusId ?? null),
  };
  let change: Change | null = null;
  if (gone) change = "deleted";
  else if (voided) change = "voided";
  else if (d.postedSagePence !== null && doc.totalPence !== d.postedSagePence) change = "edited";
  if (change) {
    const detail =
      change === "edited" ? `Sage showed ${fmt(d.postedSagePence!)} after posting and shows ${fmt(doc!.totalPence)} now.` : null;
    return { ...common, ...sageSide, class: "changed_in_sage", reason: change, reasonDetail: detail };
  }
  return { ...common, ...sageSide, class: diff === 0 || diff === null ? "matched" : "amount_differs", reason: null, reasonDetail: null };
}

const fmt = (pence: number) => (pence / 100).toFixed(2);

/** The binding's documents in Sage that Ledger did not post: same prefix, dated in the period. */
function foreignRows(input: ClassifyInput): RowInput[] {
  const { prefix, period } = input;
  if (!prefix) return [];
  const out: RowInput[] = [];
  for (const doc of input.sage.values()) {
    if (doc.deleted || doc.documentType === "payment" || input.ledgerSageIds.has(doc.id)) continue;
    if (!doc.reference?.startsWith(prefix) || !doc.date || doc.date < period.start || doc.date > period.end) continue;
    const voided = doc.statusId === VOID;
    const duplicate = input.ledger.some((d) => d.documentType === doc.documentType && d.sageId && sameReference(d, doc, input));
    out.push({
      documentType: doc.documentType,
      class: "not_from_ledger",
      reason: duplicate ? "duplicate" : "by_hand",
      reasonDetail: duplicate ? `Carries the reference of a document Ledger posted (${doc.reference}).` : null,
      documentDate: doc.date,
      magentoEntityId: null,
      magentoIncrementId: null,
      runId: null,
      currency: doc.currency ?? "",
      magentoPence: null,
      sagePence: voided ? 0 : doc.totalPence,
      differencePence: voided ? 0 : doc.totalPence,
      baseMagentoPence: null,
      baseSagePence: voided ? 0 : doc.basePence,
      sageId: doc.id,
      sageReference: doc.displayedAs,
      sageDocReference: doc.reference,
      sageStatus: doc.statusId,
    });
  }
  return out;
}

function sameReference(d: LedgerDoc, doc: SageDoc, input: ClassifyInput): boolean {
  const posted = d.sageId ? input.sage.get(d.sageId) : undefined;
  return !!posted?.reference && posted.reference === doc.reference;
}

export function classify(input: ClassifyInput): RowInput[] {
  const rows = [...input.ledger.map((d) => ledgerRow(d, input.sage)), ...foreignRows(input)];
  return rows.sort((a, b) => a.documentDate.localeCompare(b.documentDate) || a.documentType.localeCompare(b.documentType));
}

import type { CreditMemo, Invoice } from "@/lib/magento/canonical";
import { fromPence, toPence } from "@/lib/translate/money";

/**
 * Decision D11, the one place it lives: every posting is checked against Magento.
 *
 * After Ledger creates an invoice, credit note or payment, what Sage ANSWERED (its own arithmetic,
 * never what we posted) is compared with Magento's canonical amounts in exact pence: header net, tax
 * and total; for a foreign-currency document its base-currency totals against Magento's base figures
 * (document ÷ base_to_order_rate, D1); and after a payment or allocation, what the invoice still owes.
 * Any difference becomes the run warning `total_mismatch` with both figures (`TotalMismatch`), shown in
 * run detail, filterable in history, counted on Home — and the hook alerts will hang on.
 *
 * A base-currency difference equal to the inverted rate (Sage 117.00 where Magento says 85.47) is how
 * a wrong D1 would first show, so base totals are compared whenever the document is not in the base
 * currency.
 */

export const TOTAL_MISMATCH = "total_mismatch";

export type CheckedDocument = "sales_invoice" | "sales_credit_note";

export const CHECKED_FIELDS = [
  "net_amount",
  "tax_amount",
  "total_amount",
  "base_currency_net_amount",
  "base_currency_tax_amount",
  "base_currency_total_amount",
  "outstanding_amount",
] as const;
export type CheckedField = (typeof CHECKED_FIELDS)[number];

/** One figure Sage holds that differs from Magento's. Plain JSON: stored on the run as is. */
export interface TotalMismatch {
  warning: typeof TOTAL_MISMATCH;
  /** the Sage document holding the figure */
  document: CheckedDocument;
  sageId: string;
  /** Sage's human reference (SI-27, CN-5) */
  reference: string | null;
  field: CheckedField;
  /** 1-based line number when the figure is one line's (shown to pinpoint a header difference) */
  line?: number;
  /** what the check was about: the posting itself, or a payment / allocation settling the document */
  after: "create" | "payment" | "allocation" | "refund";
  /** currency of both figures (the business's base currency for base_currency_* fields) */
  currency: string;
  /** Sage's figure; null when Sage's answer did not carry it */
  sage: number | null;
  magento: number;
}

/** Magento's canonical figures for one document, in pence. */
export interface CanonicalAmounts {
  currency: string;
  net: number;
  tax: number;
  total: number;
  /** present when the document is not in the business's base currency */
  base?: { currency: string; rate: number; net: number; tax: number; total: number };
  /** per Magento line: row total − discount, and tax */
  lines: { net: number; tax: number }[];
}

const lineNet = (l: { line_subtotal: number; line_tax: number; line_total: number }) => toPence(l.line_total) - toPence(l.line_tax);

function withBase(a: Omit<CanonicalAmounts, "base">, baseCurrency: string, rate: number | undefined): CanonicalAmounts {
  if (a.currency === baseCurrency.toUpperCase()) return a;
  const r = rate && rate > 0 ? rate : 1;
  // D1: Magento's order amount = base amount × base_to_order_rate, so base = document ÷ rate.
  const toBase = (p: number) => toPence(fromPence(p) / r);
  return { ...a, base: { currency: baseCurrency.toUpperCase(), rate: r, net: toBase(a.net), tax: toBase(a.tax), total: toBase(a.total) } };
}

/** An invoice: Magento's header tax and grand total; net is what the total holds besides tax. */
export function invoiceAmounts(inv: Invoice, baseCurrency: string): CanonicalAmounts {
  const total = toPence(inv.grand_total);
  const tax = toPence(inv.tax_amount);
  const lines = inv.lines.map((l) => ({ net: lineNet(l), tax: toPence(l.line_tax) }));
  return withBase({ currency: inv.currency.toUpperCase(), net: total - tax, tax, total, lines }, baseCurrency, inv.base_to_order_rate);
}

/** A credit memo carries no header tax (wire-protocol §8.4): its tax is its lines' plus shipping's. */
export function creditMemoAmounts(memo: CreditMemo, baseCurrency: string): CanonicalAmounts {
  const total = toPence(memo.grand_total);
  const tax = memo.lines.reduce((a, l) => a + toPence(l.line_tax), 0) + toPence(memo.shipping_tax_amount);
  const lines = memo.lines.map((l) => ({ net: lineNet(l), tax: toPence(l.line_tax) }));
  return withBase({ currency: memo.currency.toUpperCase(), net: total - tax, tax, total, lines }, baseCurrency, memo.base_to_order_rate);
}

type Amount = number | null | undefined;

/** The figures of a Sage invoice or credit note this check reads (a subset of Sage's answer). */
export interface SageDocumentFigures {
  id: string;
  displayed_as: string;
  net_amount?: Amount;
  tax_amount?: Amount;
  total_amount?: Amount;
  base_currency_net_amount?: Amount;
  base_currency_tax_amount?: Amount;
  base_currency_total_amount?: Amount;
  outstanding_amount?: Amount;
  lines?: { net_amount?: Amount; tax_amount?: Amount }[] | null;
}

const pence = (v: Amount) => (v === null || v === undefined ? null : toPence(v));

/** Compare a document Sage just created with Magento's figures. Empty when they agree to the penny. */
export function checkCreatedDocument(document: CheckedDocument, doc: SageDocumentFigures, magento: CanonicalAmounts): TotalMismatch[] {
  const at = { warning: TOTAL_MISMATCH, document, sageId: doc.id, reference: doc.displayed_as, after: "create" } as const;
  const out: TotalMismatch[] = [];
  const compare = (field: CheckedField, sage: Amount, expected: number, currency: string, line?: number, optional = false) => {
    const got = pence(sage);
    if (got === null && optional) return;
    if (got !== expected)
      out.push({
        ...at,
        field,
        ...(line ? { line } : {}),
        currency,
        sage: got === null ? null : fromPence(got),
        magento: fromPence(expected),
      });
  };
  compare("net_amount", doc.net_amount, magento.net, magento.currency);
  compare("tax_amount", doc.tax_amount, magento.tax, magento.currency);
  compare("total_amount", doc.total_amount, magento.total, magento.currency);
  if (magento.base) {
    // Sage always reports base mirrors; an answer without them has nothing to compare.
    compare("base_currency_net_amount", doc.base_currency_net_amount, magento.base.net, magento.base.currency, undefined, true);
    compare("base_currency_tax_amount", doc.base_currency_tax_amount, magento.base.tax, magento.base.currency, undefined, true);
    compare("base_currency_total_amount", doc.base_currency_total_amount, magento.base.total, magento.base.currency, undefined, true);
  }
  // A header difference is easier to act on with the line that caused it: Magento's lines come first,
  // in order, on every document Ledger posts.
  if (out.some((m) => m.field === "net_amount" || m.field === "tax_amount")) {
    magento.lines.forEach((l, i) => {
      const s = doc.lines?.[i];
      if (!s) return;
      compare("net_amount", s.net_amount, l.net, magento.currency, i + 1);
      compare("tax_amount", s.tax_amount, l.tax, magento.currency, i + 1);
    });
  }
  return out;
}

/**
 * After a payment or allocation: what the invoice (or credit note) still owes by Magento's account.
 * A full payment or a credit covering the balance must leave exactly 0.
 */
export function checkOutstanding(
  document: CheckedDocument,
  doc: SageDocumentFigures,
  expectedPence: number,
  after: TotalMismatch["after"],
  currency: string,
): TotalMismatch[] {
  const got = pence(doc.outstanding_amount);
  if (got === expectedPence) return [];
  return [
    {
      warning: TOTAL_MISMATCH,
      document,
      sageId: doc.id,
      reference: doc.displayed_as,
      field: "outstanding_amount",
      after,
      currency: currency.toUpperCase(),
      sage: got === null ? null : fromPence(got),
      magento: fromPence(expectedPence),
    },
  ];
}

/** The run-level outcome of a run's checks: the warning code once, every differing figure kept. */
export function runWarnings(warnings: string[], mismatches: TotalMismatch[]): { warnings: string[]; warningDetails?: TotalMismatch[] } {
  if (!mismatches.length) return { warnings };
  return { warnings: warnings.includes(TOTAL_MISMATCH) ? warnings : [...warnings, TOTAL_MISMATCH], warningDetails: mismatches };
}

/** Read back what a run stored (JSON from the database), dropping anything that is not a mismatch. */
export function parseMismatches(json: unknown): TotalMismatch[] {
  if (!Array.isArray(json)) return [];
  return json.filter(
    (m): m is TotalMismatch =>
      typeof m === "object" &&
      m !== null &&
      (m as TotalMismatch).warning === TOTAL_MISMATCH &&
      (CHECKED_FIELDS as readonly string[]).includes((m as TotalMismatch).field),
  );
}

/** "Total: Sage 87.76 GBP, Magento 87.75 GBP (Sage +0.01)" — one line of run detail. */
export function describeMismatch(m: TotalMismatch): string {
  const label = FIELD_LABEL[m.field];
  const what = m.line ? `Line ${m.line} ${label.toLowerCase()}` : label;
  const fmt = (n: number) => n.toFixed(2);
  if (m.sage === null) return `${what}: Sage did not report it, Magento ${fmt(m.magento)} ${m.currency}`;
  const diff = Math.round((m.sage - m.magento) * 100) / 100;
  return `${what}: Sage ${fmt(m.sage)} ${m.currency}, Magento ${fmt(m.magento)} ${m.currency} (Sage ${diff > 0 ? "+" : "−"}${fmt(Math.abs(diff))})`;
}

export const FIELD_LABEL: Record<CheckedField, string> = {
  net_amount: "Net",
  tax_amount: "VAT",
  total_amount: "Total",
  base_currency_net_amount: "Net in base currency",
  base_currency_tax_amount: "VAT in base currency",
  base_currency_total_amount: "Total in base currency",
  outstanding_amount: "Still owed",
};

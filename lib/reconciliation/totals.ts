import type { RowInput } from "./classify";
import { ROW_CLASSES, type DocumentType, type RowClass } from "./vocabulary";

/**
 * Totals a reconciliation shows: Magento vs Sage per currency and document type, and the same in the
 * business's base currency, all in pence; counts per class; matched vs not per day for the chart.
 * Credit memos and payments are totalled apart from invoices: adding them up would hide a difference.
 */

export interface TotalLine {
  currency: string;
  documentType: DocumentType;
  magentoPence: number;
  sagePence: number;
  differencePence: number;
  documents: number;
}

export interface Totals {
  byCurrency: TotalLine[];
  /** in the business's base currency; rows whose base figure is unknown on either side are left out of both sums and counted in `unconverted` */
  base: (TotalLine & { unconverted: number })[];
}

function add(
  map: Map<string, TotalLine & { unconverted: number }>,
  key: string,
  seed: Omit<TotalLine, "magentoPence" | "sagePence" | "differencePence" | "documents">,
  m: number,
  s: number,
) {
  const cur = map.get(key) ?? { ...seed, magentoPence: 0, sagePence: 0, differencePence: 0, documents: 0, unconverted: 0 };
  cur.magentoPence += m;
  cur.sagePence += s;
  cur.differencePence = cur.sagePence - cur.magentoPence;
  cur.documents += 1;
  map.set(key, cur);
  return cur;
}

export function computeTotals(rows: RowInput[], baseCurrency: string): Totals {
  const byCurrency = new Map<string, TotalLine & { unconverted: number }>();
  const base = new Map<string, TotalLine & { unconverted: number }>();
  for (const r of rows) {
    add(
      byCurrency,
      `${r.currency}|${r.documentType}`,
      { currency: r.currency, documentType: r.documentType },
      r.magentoPence ?? 0,
      r.sagePence ?? 0,
    );
    const unknown = (r.magentoPence !== null && r.baseMagentoPence === null) || (r.sagePence !== null && r.baseSagePence === null);
    // A row without a base figure on one side stays out of both: counting only the side that has one
    // would show its whole amount as a difference (the demo's EUR payments read +£699.31).
    const line = add(
      base,
      r.documentType,
      { currency: baseCurrency, documentType: r.documentType },
      unknown ? 0 : (r.baseMagentoPence ?? 0),
      unknown ? 0 : (r.baseSagePence ?? 0),
    );
    if (unknown) line.unconverted += 1;
  }
  const strip = ({ unconverted, ...rest }: TotalLine & { unconverted: number }) => (void unconverted, rest);
  const order = (a: TotalLine, b: TotalLine) => a.currency.localeCompare(b.currency) || a.documentType.localeCompare(b.documentType);
  return { byCurrency: [...byCurrency.values()].map(strip).sort(order), base: [...base.values()].sort(order) };
}

export function countByClass(rows: { class: RowClass }[]): Record<RowClass, number> {
  const counts = Object.fromEntries(ROW_CLASSES.map((c) => [c, 0])) as Record<RowClass, number>;
  for (const r of rows) counts[r.class] += 1;
  return counts;
}

/** One point per day of the period: how many rows matched and how many did not. */
export function perDay(rows: { documentDate: string; class: RowClass }[], period: { start: string; end: string }) {
  const days: { date: string; matched: number; other: number }[] = [];
  const index = new Map<string, { date: string; matched: number; other: number }>();
  for (let d = new Date(`${period.start}T00:00:00Z`); d.toISOString().slice(0, 10) <= period.end; d.setUTCDate(d.getUTCDate() + 1)) {
    const p = { date: d.toISOString().slice(0, 10), matched: 0, other: 0 };
    days.push(p);
    index.set(p.date, p);
  }
  for (const r of rows) {
    const p = index.get(r.documentDate);
    if (p) p[r.class === "matched" ? "matched" : "other"] += 1;
  }
  return days;
}

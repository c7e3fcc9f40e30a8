import assert from "node:assert/strict";
import type { SyncStack } from "./sync-stack";

/**
 * Test-only: Sage's arithmetic is the judge. A document as the Sage emulator STORED it (its own sums,
 * never what Ledger posted) against the Magento entity as the store's module serves it, to the penny:
 * header net, VAT and total, every Magento line's net and VAT, and for a foreign-currency document
 * its base-currency totals (D1: base = document ÷ base_to_order_rate). Written from the wire formats
 * alone, independently of Ledger's own check (lib/books), so one cannot hide the other's mistake.
 */

type Json = Record<string, unknown>;
type Line = { line_subtotal: number; line_tax: number; line_total: number };

const cents = (v: unknown): number => {
  const n = Number(v);
  assert.ok(Number.isFinite(n), `not an amount: ${String(v)}`);
  return Math.sign(n) * Math.round(Math.abs(n) * 100 + 1e-7);
};
const money = (c: number) => (c / 100).toFixed(2);

export interface BooksCompared {
  sage: Json;
  magento: Json;
}

/** Fetch both sides and compare; returns them for further assertions. */
export async function expectBooksMatch(
  s: SyncStack,
  kind: "invoice" | "creditmemo",
  magentoId: number,
  sageId: string | null,
  baseCurrency = "GBP",
): Promise<BooksCompared> {
  assert.ok(sageId, `${kind} ${magentoId} has no Sage document`);
  const magento = (await s.magento("GET", `canonical/${kind}/${magentoId}`)) as Json;
  const sage = await s.sage(`/${kind === "invoice" ? "sales_invoices" : "sales_credit_notes"}/${sageId}`);
  const lines = (magento.lines as Line[]) ?? [];
  const total = cents(magento.grand_total);
  // A credit memo carries no header tax (wire-protocol §8.4): its VAT is its lines' and shipping's.
  const tax =
    kind === "invoice" ? cents(magento.tax_amount) : lines.reduce((a, l) => a + cents(l.line_tax), 0) + cents(magento.shipping_tax_amount);
  const what = `${kind} ${magentoId} (${String(sage.displayed_as)})`;
  assert.equal(money(cents(sage.total_amount)), money(total), `${what}: Sage total vs Magento grand_total`);
  assert.equal(money(cents(sage.tax_amount)), money(tax), `${what}: Sage VAT vs Magento`);
  assert.equal(money(cents(sage.net_amount)), money(total - tax), `${what}: Sage net vs Magento`);
  const sageLines = (sage[kind === "invoice" ? "invoice_lines" : "credit_note_lines"] as Json[]) ?? [];
  lines.forEach((l, i) => {
    assert.ok(sageLines[i], `${what}: Sage has no line ${i + 1}`);
    assert.equal(
      money(cents(sageLines[i].net_amount)),
      money(cents(l.line_total) - cents(l.line_tax)),
      `${what}: line ${i + 1} net (row − discount)`,
    );
    assert.equal(money(cents(sageLines[i].tax_amount)), money(cents(l.line_tax)), `${what}: line ${i + 1} VAT`);
  });
  const currency = String(magento.currency).toUpperCase();
  if (currency !== baseCurrency) {
    const rate = Number(magento.base_to_order_rate ?? 1);
    const base = (c: number) => Math.round(c / rate);
    assert.equal((sage.currency as { id: string }).id, currency, `${what}: document currency`);
    assert.equal(money(cents(sage.base_currency_total_amount)), money(base(total)), `${what}: base-currency total = total ÷ ${rate}`);
    assert.equal(money(cents(sage.base_currency_net_amount)), money(base(total - tax)), `${what}: base-currency net`);
  }
  return { sage, magento };
}

/** What Sage says is still owed on a document, in pence. */
export const owedPence = (doc: Json): number => cents(doc.outstanding_amount);

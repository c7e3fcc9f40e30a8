import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePolicy } from "@/lib/policy/schema";
import type { ArtefactLineInput } from "@/lib/sage/schemas";
import { contact, creditMemo, invoice, line } from "@/test/support/magento/canonical";
import { translateCreditNote } from "./credit-note";
import { translateInvoice } from "./invoice";
import { sageGrossPence, sagePricing } from "./unit-price";

/**
 * D10: what Ledger posts, run through Sage's own arithmetic, equals Magento's figures for every line
 * and the header. `sageSums` below is written independently of Ledger's code from sage-api §6 item 10
 * and §8 item 7: a posted net is ignored; net = round(qty × unit_price, 2) − discount; shipping VAT
 * is recomputed from the panel's rate; the header is the sum of rounded lines.
 */

const RATE_PERCENT: Record<string, number> = { GB_STANDARD: 20, GB_LOWER: 5, GB_ZERO: 0 };
const cents = (n: number) => Math.round(n * 100 + (n >= 0 ? 1e-7 : -1e-7));

function sageLine(l: ArtefactLineInput) {
  const gross = cents((l.quantity ?? 1) * l.unit_price);
  const net = gross - cents(l.discount_amount ?? 0);
  const tax = cents(l.tax_amount ?? 0);
  return { net, tax, total: net + tax };
}

function sageSums(p: { shipping_net_amount?: number; shipping_tax_rate_id?: string }, lines: ArtefactLineInput[]) {
  const ls = lines.map(sageLine);
  const shipNet = cents(p.shipping_net_amount ?? 0);
  const shipTax = cents((p.shipping_net_amount ?? 0) * (RATE_PERCENT[p.shipping_tax_rate_id ?? "GB_STANDARD"] / 100));
  const net = ls.reduce((a, l) => a + l.net, 0) + shipNet;
  const tax = ls.reduce((a, l) => a + l.tax, 0) + shipTax;
  return { lines: ls, net, tax, total: net + tax };
}

const policy = parsePolicy({ default_ledger_account_id: "LEDGER_4000", default_tax_rate_id: "GB_STANDARD" });
const ctx = { policy, businessCountry: "GB", baseCurrency: "GBP", contactId: "C1", now: new Date("2026-05-01T00:00:00Z") };

/** Magento's line: row total, its own discount and tax, as the module sends them. */
const mline = (qty: number, unit: number, row: number, tax: number, discount = 0, over = {}) =>
  line({
    qty,
    unit_price: unit,
    line_subtotal: row,
    line_tax: tax,
    line_total: Math.round((row + tax - discount) * 100) / 100,
    tax_rate: row > 0 && tax > 0 ? Math.round((tax / row) * 10000) / 10000 : undefined,
    ...over,
  });

interface Case {
  name: string;
  lines: ReturnType<typeof line>[];
  shipping?: [number, number];
  /** expected posted [quantity, unit_price, discount_amount] per Magento line */
  posted: [number, number, number | undefined][];
}

const CASES: Case[] = [
  {
    name: "1 × 41.625 (row 41.62) with taxed shipping: the issue's invoice, 87.75; 41.62 ÷ 1 is exact",
    lines: [mline(1, 41.625, 41.62, 8.33)],
    shipping: [31.5, 6.3],
    posted: [[1, 41.62, undefined]],
  },
  { name: "3 for 10.00", lines: [mline(3, 3.333333, 10, 2)], posted: [[3, 3.34, 0.02]] },
  { name: "7 × 1.428571 (row 10.00)", lines: [mline(7, 1.428571, 10, 0)], posted: [[7, 1.43, 0.01]] },
  { name: "1.5 kg × 2.49 (row 3.74)", lines: [mline(1.5, 2.49, 3.74, 0)], posted: [[1.5, 2.5, 0.01]] },
  { name: "1.5 kg × 4.00 is exact and keeps its price", lines: [mline(1.5, 4, 6, 0)], posted: [[1.5, 4, undefined]] },
  {
    name: "a discounted line: 2 × 20.835 (row 41.67), 10 % off, VAT after discount",
    lines: [mline(2, 20.835, 41.67, 7.5, 4.17)],
    posted: [[2, 20.84, 4.18]],
  },
  {
    name: "a zero-priced line and a configurable's zero child row",
    lines: [mline(1, 0, 0, 0), mline(2, 0, 0, 0), mline(1, 12.5, 12.5, 2.5)],
    posted: [
      [1, 0, undefined],
      [2, 0, undefined],
      [1, 12.5, undefined],
    ],
  },
  {
    name: "many awkward lines on one document",
    lines: [mline(3, 3.333333, 10, 2), mline(7, 1.428571, 10, 0), mline(1, 41.625, 41.62, 8.33), mline(0.333, 9.99, 3.33, 0)],
    shipping: [4.99, 1],
    posted: [
      [3, 3.34, 0.02],
      [7, 1.43, 0.01],
      [1, 41.62, undefined],
      [0.333, 10, undefined],
    ],
  },
];

for (const c of CASES) {
  test(`D10 invoice: ${c.name} → Sage's own sums equal Magento's to the penny`, () => {
    const rows = c.lines.reduce((a, l) => a + cents(l.line_total), 0);
    const [ship, shipTax] = c.shipping ?? [0, 0];
    const grand = (rows + cents(ship) + cents(shipTax)) / 100;
    const inv = invoice({
      lines: c.lines,
      shipping_amount: ship,
      shipping_tax_amount: shipTax,
      tax_amount: (c.lines.reduce((a, l) => a + cents(l.line_tax), 0) + cents(shipTax)) / 100,
      grand_total: grand,
    });
    const out = translateInvoice(inv, ctx);
    const lines = out.payload.invoice_lines;
    assert.deepEqual(
      lines.slice(0, c.lines.length).map((l) => [l.quantity, l.unit_price, l.discount_amount]),
      c.posted,
    );
    const sage = sageSums(out.payload, lines);
    c.lines.forEach((m, i) => {
      const magentoNet = cents(m.line_subtotal) - (cents(m.line_subtotal) + cents(m.line_tax) - cents(m.line_total));
      assert.equal(sage.lines[i].net, magentoNet, `line ${i + 1} net`);
      assert.equal(sage.lines[i].total, cents(m.line_total), `line ${i + 1} total`);
      assert.equal(cents(lines[i].net_amount!), sage.lines[i].net, `line ${i + 1}: the net we send is the net Sage computes`);
    });
    assert.equal(lines.length, c.lines.length, "no adjustment line was needed");
    assert.equal(sage.total, cents(inv.grand_total), "header total");
    assert.equal(sage.tax, cents(inv.tax_amount), "header tax");
    assert.equal(out.totalPence, sage.total);
  });
}

test("D10: posting Magento's raw unit price is exactly the 1p drift Sage produces (the bug this fixes)", () => {
  const raw = sageLine({ description: "x", ledger_account_id: "L", quantity: 1, unit_price: 41.625, tax_amount: 8.33 });
  assert.equal(raw.total, 4996, "Sage: 41.63 + 8.33");
  const inv = invoice({
    lines: [mline(1, 41.625, 41.62, 8.33)],
    shipping_amount: 31.5,
    shipping_tax_amount: 6.3,
    tax_amount: 14.63,
    grand_total: 87.75,
  });
  assert.equal(sageSums(translateInvoice(inv, ctx).payload, translateInvoice(inv, ctx).payload.invoice_lines).total, 8775);
});

test("D10 shipping: taxed shipping stays in the panel when Sage's recomputed VAT agrees, becomes a line when it would not", () => {
  const panel = translateInvoice(
    invoice({ lines: [mline(1, 10, 10, 2)], shipping_amount: 31.5, shipping_tax_amount: 6.3, tax_amount: 8.3, grand_total: 49.8 }),
    ctx,
  ).payload;
  assert.equal(panel.shipping_net_amount, 31.5);
  assert.equal(panel.shipping_tax_rate_id, "GB_STANDARD");
  assert.equal(panel.invoice_lines.length, 1);
  // Tax-inclusive shipping rounds the other way now and then: Magento's VAT 0.86 on a 4.24 net, where
  // Sage's panel would recompute round(4.24 × 20 %) = 0.85.
  const off = invoice({
    lines: [mline(1, 10, 10, 2)],
    shipping_amount: 4.24,
    shipping_tax_amount: 0.86,
    tax_amount: 2.86,
    grand_total: 17.1,
  });
  const out = translateInvoice(off, ctx).payload;
  assert.equal(out.shipping_net_amount, undefined, "no panel: Sage would recompute 0.85");
  const ship = out.invoice_lines.at(-1)!;
  assert.deepEqual(
    [ship.description, ship.quantity, ship.unit_price, ship.tax_rate_id, ship.tax_amount],
    ["Shipping", 1, 4.24, "GB_STANDARD", 0.86],
  );
  assert.equal(sageSums(out, out.invoice_lines).total, 1710);
  assert.equal(sageSums(out, out.invoice_lines).tax, 286);
});

test("D10 EUR document to France: EUR amounts penny-exact, GB_ZERO, rate unchanged (D1)", () => {
  const fr = { kind: "billing" as const, street: ["2 Rue X"], city: "Paris", postcode: "75001", country_id: "FR" };
  const inv = invoice({
    currency: "EUR",
    base_to_order_rate: 1.17,
    billing_address: fr,
    customer: contact({ addresses: [fr] }),
    lines: [mline(3, 3.333333, 10, 0), mline(1, 48.701, 48.7, 0)], // 48.70 ÷ 1 is exact: Magento's 48.701 is not what Sage needs
    shipping_amount: 11.7,
    shipping_tax_amount: 0,
    tax_amount: 0,
    grand_total: 70.4,
  });
  const out = translateInvoice(inv, ctx).payload;
  assert.equal(out.exchange_rate, 1.17);
  assert.deepEqual(
    out.invoice_lines.map((l) => [l.quantity, l.unit_price, l.discount_amount, l.tax_rate_id]),
    [
      [3, 3.34, 0.02, "GB_ZERO"],
      [1, 48.7, undefined, "GB_ZERO"],
    ],
  );
  assert.equal(out.shipping_tax_rate_id, "GB_ZERO");
  assert.equal(sageSums(out, out.invoice_lines).total, 7040);
});

test("D10 credit note: the 41.625 line refunded lands on Magento's grand total", () => {
  const memo = creditMemo({ lines: [mline(1, 41.625, 41.62, 8.33)], shipping_amount: 31.5, shipping_tax_amount: 6.3, grand_total: 87.75 });
  const out = translateCreditNote(memo, ctx).payload;
  assert.deepEqual(
    out.credit_note_lines.map((l) => [l.quantity, l.unit_price, l.discount_amount]),
    [[1, 41.62, undefined]],
  );
  assert.equal(sageSums(out, out.credit_note_lines).total, 8775);
});

test("D10 rule: for every row and quantity the excess is below `quantity` pence and Sage's net is the row", () => {
  for (const qty of [1, 2, 3, 7, 12, 1.5, 0.25, 0.333, 2.75]) {
    for (let row = 0; row <= 3000; row += 7) {
      const p = sagePricing(row, qty);
      assert.equal(p.quantity, qty);
      assert.ok(Number.isInteger(p.unitPence), `${qty} × ${row}: unit in whole pence`);
      // "at most quantity pence": below qty for whole quantities, plus Sage's half-penny rounding otherwise
      const bound = Number.isInteger(qty) ? qty : qty + 0.5;
      assert.ok(p.excessPence >= 0 && p.excessPence < bound, `${qty} × ${row}: excess ${p.excessPence}`);
      assert.equal(sageGrossPence(qty, p.unitPence) - p.excessPence, row, `${qty} × ${row}`);
      if (Number.isInteger(row / qty)) assert.equal(p.excessPence, 0, "an exact price is kept");
    }
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { creditMemo, invoice, line } from "@/test/support/magento/canonical";
import {
  checkCreatedDocument,
  checkOutstanding,
  creditMemoAmounts,
  describeMismatch,
  invoiceAmounts,
  parseMismatches,
  runWarnings,
  TOTAL_MISMATCH,
} from "./verify-posting";

/** D11: Sage's answer against Magento's canonical figures, in exact pence. */

// The issue's invoice: 1 × 41.625 (row 41.62, VAT 8.33) + shipping 31.50 (VAT 6.30) = 87.75.
const issueInvoice = invoice({
  lines: [line({ qty: 1, unit_price: 41.625, line_subtotal: 41.62, line_tax: 8.33, line_total: 49.95 })],
  shipping_amount: 31.5,
  shipping_tax_amount: 6.3,
  tax_amount: 14.63,
  grand_total: 87.75,
});
const sageDoc = (over: Record<string, unknown> = {}) => ({
  id: "SI_1",
  displayed_as: "SI-1",
  net_amount: 73.12,
  tax_amount: 14.63,
  total_amount: 87.75,
  lines: [{ net_amount: 41.62, tax_amount: 8.33 }],
  ...over,
});

test("D11: Sage's figures equal to Magento's → nothing to report", () => {
  assert.deepEqual(checkCreatedDocument("sales_invoice", sageDoc(), invoiceAmounts(issueInvoice, "GBP")), []);
});

test("D11: the 1p drift (Sage 87.76) is reported with both figures, header and the line that caused it", () => {
  const got = checkCreatedDocument(
    "sales_invoice",
    sageDoc({ net_amount: 73.13, total_amount: 87.76, lines: [{ net_amount: 41.63, tax_amount: 8.33 }] }),
    invoiceAmounts(issueInvoice, "GBP"),
  );
  assert.deepEqual(
    got.map((m) => [m.field, m.line ?? null, m.sage, m.magento]),
    [
      ["net_amount", null, 73.13, 73.12],
      ["total_amount", null, 87.76, 87.75],
      ["net_amount", 1, 41.63, 41.62],
    ],
  );
  assert.ok(
    got.every(
      (m) =>
        m.warning === TOTAL_MISMATCH &&
        m.document === "sales_invoice" &&
        m.reference === "SI-1" &&
        m.currency === "GBP" &&
        m.after === "create",
    ),
  );
  assert.equal(describeMismatch(got[1]), "Total: Sage 87.76 GBP, Magento 87.75 GBP (Sage +0.01)");
  assert.equal(describeMismatch(got[2]), "Line 1 net: Sage 41.63 GBP, Magento 41.62 GBP (Sage +0.01)");
});

test("D11 + D1: a EUR document's base totals are document ÷ rate; an inverted rate cannot be missed", () => {
  const eur = invoice({
    currency: "EUR",
    base_to_order_rate: 1.17,
    lines: [line({ line_subtotal: 100, unit_price: 100, line_tax: 0, line_total: 100 })],
    shipping_amount: 0,
    shipping_tax_amount: 0,
    tax_amount: 0,
    grand_total: 100,
  });
  const magento = invoiceAmounts(eur, "GBP");
  assert.deepEqual(magento.base, { currency: "GBP", rate: 1.17, net: 8547, tax: 0, total: 8547 });
  const right = {
    id: "SI_2",
    displayed_as: "SI-2",
    net_amount: 100,
    tax_amount: 0,
    total_amount: 100,
    base_currency_net_amount: 85.47,
    base_currency_tax_amount: 0,
    base_currency_total_amount: 85.47,
  };
  assert.deepEqual(checkCreatedDocument("sales_invoice", right, magento), []);
  // Sage applying the rate the other way round (base = 100 × 1.17)
  const inverted = checkCreatedDocument(
    "sales_invoice",
    { ...right, base_currency_net_amount: 117, base_currency_total_amount: 117 },
    magento,
  );
  assert.deepEqual(
    inverted.map((m) => [m.field, m.currency, m.sage, m.magento]),
    [
      ["base_currency_net_amount", "GBP", 117, 85.47],
      ["base_currency_total_amount", "GBP", 117, 85.47],
    ],
  );
  assert.match(describeMismatch(inverted[1]), /^Total in base currency: Sage 117.00 GBP, Magento 85.47 GBP \(Sage \+31.53\)$/);
  // a base-currency document has no base figures to compare
  assert.equal(invoiceAmounts(issueInvoice, "GBP").base, undefined);
});

test("D11: a credit memo's tax is its lines' and shipping's (it carries no header tax)", () => {
  const memo = creditMemo({ lines: [line()], shipping_amount: 5, shipping_tax_amount: 1, adjustment_positive: 2, grand_total: 48.8 });
  const m = creditMemoAmounts(memo, "GBP");
  assert.deepEqual([m.net, m.tax, m.total], [4100, 780, 4880]);
  const wrong = checkCreatedDocument(
    "sales_credit_note",
    { id: "CN_1", displayed_as: "CN-1", net_amount: 41, tax_amount: 7.8, total_amount: 48.81, lines: [] },
    m,
  );
  assert.deepEqual(
    wrong.map((x) => [x.document, x.field, x.sage, x.magento]),
    [["sales_credit_note", "total_amount", 48.81, 48.8]],
  );
});

test("D11: after a payment or allocation the invoice owes what Magento says (0 after a full payment)", () => {
  const doc = { id: "SI_1", displayed_as: "SI-1", outstanding_amount: 0.01 };
  assert.deepEqual(checkOutstanding("sales_invoice", { ...doc, outstanding_amount: 0 }, 0, "payment", "gbp"), []);
  const [m] = checkOutstanding("sales_invoice", doc, 0, "payment", "gbp");
  assert.deepEqual([m.field, m.after, m.currency, m.sage, m.magento], ["outstanding_amount", "payment", "GBP", 0.01, 0]);
  assert.equal(describeMismatch(m), "Still owed: Sage 0.01 GBP, Magento 0.00 GBP (Sage +0.01)");
  assert.equal(checkOutstanding("sales_invoice", { ...doc, outstanding_amount: null }, 0, "allocation", "GBP")[0].sage, null);
});

test("run warnings: the code once, every figure kept; stored JSON reads back, junk is dropped", () => {
  assert.deepEqual(runWarnings(["mixed_eu_goods_services_coerced_to_default"], []), {
    warnings: ["mixed_eu_goods_services_coerced_to_default"],
  });
  const [m] = checkOutstanding("sales_invoice", { id: "x", displayed_as: "SI-9", outstanding_amount: 1 }, 0, "payment", "GBP");
  const out = runWarnings([], [m, m]);
  assert.deepEqual(out.warnings, ["total_mismatch"]);
  assert.equal(out.warningDetails?.length, 2);
  assert.deepEqual(parseMismatches(JSON.parse(JSON.stringify([m, { warning: "other" }, null, { ...m, field: "nope" }]))), [m]);
  assert.deepEqual(parseMismatches({}), []);
});

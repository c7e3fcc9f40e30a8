import type { InvoiceLine } from "@/lib/magento/canonical";
import type { Policy } from "@/lib/policy/schema";
import type { ArtefactLineInput } from "@/lib/sage/schemas";
import { SyncError } from "@/lib/errors";
import { fromPence, toPence } from "./money";
import { CROSS_BORDER_TAX_RATE_ID, lineDiscount, routeLineTax, routeShippingTax, type EuTypeDecision } from "./tax";
import { clip, decodeEntities } from "./text";
import { sagePricing } from "./unit-price";

/**
 * Document lines shared by invoices and credit notes, built so that Sage's own arithmetic lands on
 * Magento's figures to the penny: quantity, unit price and discount follow D10 (Sage recomputes each
 * line's net from them and ignores a posted net), line tax is always Magento's line_tax (D2). The
 * net and total we send are exactly what Sage will compute, for the record.
 */

export type LinePolicy = Pick<Policy, "tax_rate_map" | "default_tax_rate_id" | "default_ledger_account_id">;

export interface LineContext {
  policy: LinePolicy;
  crossBorder: boolean;
  euType: EuTypeDecision;
}

export function requireLedgerAccount(policy: LinePolicy): string {
  if (!policy.default_ledger_account_id) {
    throw new SyncError("validation", "No default sales ledger account is set: choose one in Settings → Default Mappings, then retry.");
  }
  return policy.default_ledger_account_id;
}

function taxRateFor(line: Pick<InvoiceLine, "line_subtotal" | "line_tax" | "line_total" | "tax_rate">, ctx: LineContext): string {
  if (ctx.crossBorder) return CROSS_BORDER_TAX_RATE_ID;
  const route = routeLineTax(line, ctx.policy);
  if (route.kind === "missing_default") {
    throw new SyncError(
      "validation",
      "A line's tax rate is not in the tax-rate map and no default tax rate is set: set one in Settings → Default Mappings, then retry.",
    );
  }
  return route.taxRateId;
}

export function documentLine(line: InvoiceLine, ctx: LineContext): ArtefactLineInput {
  const ledger = requireLedgerAccount(ctx.policy);
  const rowP = toPence(line.line_subtotal);
  const magentoDiscountP = toPence(lineDiscount(line));
  const pricing = sagePricing(rowP, line.qty);
  const discountP = magentoDiscountP + pricing.excessPence;
  const netP = rowP - magentoDiscountP;
  const taxP = toPence(line.line_tax);
  const description = clip(decodeEntities(line.name).trim() || line.sku || "Item", 255);
  return {
    description,
    ledger_account_id: ledger,
    quantity: pricing.quantity,
    unit_price: fromPence(pricing.unitPence),
    ...(discountP !== 0 ? { discount_amount: fromPence(discountP) } : {}),
    net_amount: fromPence(netP),
    tax_rate_id: taxRateFor(line, ctx),
    tax_amount: fromPence(taxP),
    total_amount: fromPence(netP + taxP),
    ...(ctx.crossBorder && ctx.euType.type ? { eu_goods_services_type_id: ctx.euType.type } : {}),
  };
}

/** A single-amount line (adjustments, order-level differences) at a zero rate. */
export function adjustmentLine(description: string, amountP: number, ctx: LineContext): ArtefactLineInput {
  const zero = ctx.crossBorder ? CROSS_BORDER_TAX_RATE_ID : (ctx.policy.tax_rate_map["0.00"] ?? CROSS_BORDER_TAX_RATE_ID);
  return {
    description,
    ledger_account_id: requireLedgerAccount(ctx.policy),
    quantity: 1,
    unit_price: fromPence(amountP),
    net_amount: fromPence(amountP),
    tax_rate_id: zero,
    tax_amount: 0,
    total_amount: fromPence(amountP),
    ...(ctx.crossBorder && ctx.euType.type ? { eu_goods_services_type_id: ctx.euType.type } : {}),
  };
}

export interface ShippingPanel {
  shipping_net_amount: number;
  shipping_tax_rate_id: string;
  shipping_tax_amount: number;
}

export type ShippingPosting = { panel: ShippingPanel } | { line: ArtefactLineInput } | null;

/**
 * Shipping goes in Sage's invoice-level shipping panel (product-spec §3.2) — but Sage recomputes the
 * panel's VAT as round(net × rate) and ignores the amount we send (§3.7 §32). When Magento's shipping
 * tax is not what that gives (tax-inclusive shipping rounds the other way now and then) or the rate's
 * percentage is unknown, shipping is posted as a "Shipping" line instead, whose tax Sage keeps, so the
 * document still equals Magento's to the penny (D10, shipping included).
 */
export function shippingPosting(amountP: number, taxP: number, ctx: LineContext): ShippingPosting {
  if (amountP === 0 && taxP === 0) return null;
  let rate: string;
  let percent: number | null;
  if (ctx.crossBorder) {
    rate = CROSS_BORDER_TAX_RATE_ID;
    percent = 0;
  } else {
    const route = routeShippingTax(fromPence(amountP), fromPence(taxP), ctx.policy);
    if (route.kind === "missing_default") {
      throw new SyncError(
        "validation",
        "The shipping tax rate is not in the tax-rate map and no default tax rate is set: set one in Settings → Default Mappings, then retry.",
      );
    }
    rate = route.taxRateId;
    percent = route.kind === "mapped" ? Number(route.percent) : null;
  }
  if (percent !== null && toPence(fromPence(amountP) * (percent / 100)) === taxP) {
    return { panel: { shipping_net_amount: fromPence(amountP), shipping_tax_rate_id: rate, shipping_tax_amount: fromPence(taxP) } };
  }
  return {
    line: {
      description: "Shipping",
      ledger_account_id: requireLedgerAccount(ctx.policy),
      quantity: 1,
      unit_price: fromPence(amountP),
      net_amount: fromPence(amountP),
      tax_rate_id: rate,
      tax_amount: fromPence(taxP),
      total_amount: fromPence(amountP + taxP),
      ...(ctx.crossBorder && ctx.euType.type ? { eu_goods_services_type_id: ctx.euType.type } : {}),
    },
  };
}

export function linesTotalPence(lines: ArtefactLineInput[]): number {
  return lines.reduce((acc, l) => acc + toPence(l.total_amount ?? 0), 0);
}

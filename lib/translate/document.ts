import type { Address, Contact, InvoiceLine } from "@/lib/magento/canonical";
import type { Policy } from "@/lib/policy/schema";
import type { ArtefactLineInput } from "@/lib/sage/schemas";
import { billingCountry, contactAddress, sageAddress, type SageAddress } from "./address";
import { toPence } from "./money";
import { euTypeForDocument, isCrossBorder } from "./tax";
import { adjustmentLine, documentLine, linesTotalPence, shippingPosting, type LineContext, type ShippingPanel } from "./lines";

/** What every document translation needs besides the Magento entity. */
export interface DocumentContext {
  policy: Policy;
  /** ISO-2 country of the Sage business (GB for UK businesses) */
  businessCountry: string;
  baseCurrency: string;
  contactId: string;
  now: Date;
}

export const WARNING_EU_COERCED = "mixed_eu_goods_services_coerced_to_default";

export interface DocumentBody {
  lines: ArtefactLineInput[];
  shipping?: ShippingPanel;
  mainAddress?: SageAddress;
  deliveryAddress?: SageAddress;
  warnings: string[];
  totalPence: number;
}

/**
 * Lines, shipping, addresses and the penny reconciliation shared by invoices and credit notes.
 * `extraLines` are document-level amounts (credit-memo adjustments). Whatever Magento's grand total
 * still differs by (an order-level or shipping discount that no line carries) is taken off shipping
 * when it fits there, otherwise posted as one zero-rated adjustment line, so Sage's total equals
 * Magento's exactly.
 */
export function documentBody(
  doc: {
    lines: InvoiceLine[];
    customer: Contact;
    billing?: Address;
    shipping?: Address;
    shippingAmount: number;
    shippingTax: number;
    grandTotal: number;
  },
  extraLines: { description: string; amountPence: number }[],
  ctx: DocumentContext,
): DocumentBody {
  const country = billingCountry(doc.billing, doc.customer);
  const crossBorder = isCrossBorder(country, ctx.businessCountry);
  const euType = euTypeForDocument(
    country,
    doc.lines.map((l) => l.product_type),
    ctx.policy,
  );
  const lineCtx: LineContext = { policy: ctx.policy, crossBorder, euType };

  const lines = doc.lines.map((l) => documentLine(l, lineCtx));
  for (const x of extraLines) if (x.amountPence !== 0) lines.push(adjustmentLine(x.description, x.amountPence, lineCtx));
  let shippingNetP = toPence(doc.shippingAmount);
  const shippingTaxP = toPence(doc.shippingTax);

  const expectedP = toPence(doc.grandTotal);
  const residualP = expectedP - (linesTotalPence(lines) + shippingNetP + shippingTaxP);
  if (residualP < 0 && shippingNetP + residualP >= 0 && shippingNetP > 0) shippingNetP += residualP;
  else if (residualP !== 0) lines.push(adjustmentLine(residualP < 0 ? "Order discount" : "Order adjustment", residualP, lineCtx));

  const posted = shippingPosting(shippingNetP, shippingTaxP, lineCtx);
  const shipping = posted && "panel" in posted ? posted.panel : undefined;
  if (posted && "line" in posted) lines.push(posted.line);
  const billing = doc.billing ?? contactAddress(doc.customer, "billing") ?? doc.customer.addresses[0];
  const mainAddress = sageAddress(billing);
  // Always send both: without delivery_address Sage silently copies billing into it (§3.7 §17).
  const deliveryAddress = sageAddress(doc.shipping) ?? mainAddress;
  return {
    lines,
    shipping,
    mainAddress,
    deliveryAddress,
    warnings: euType.coerced ? [WARNING_EU_COERCED] : [],
    totalPence: linesTotalPence(lines) + (shipping ? toPence(shipping.shipping_net_amount) + toPence(shipping.shipping_tax_amount) : 0),
  };
}

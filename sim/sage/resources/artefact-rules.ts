import type { Quirks } from "../config.ts";
import { DEFAULT_RATES, EU_COUNTRIES } from "../reference.ts";
import type { ArtefactLineInput } from "../schemas.ts";
import { num } from "../validation.ts";
import { lineMessage, lineSource } from "./artefact-math.ts";
import type { Problems } from "./lookup.ts";

/**
 * Document-level rules Sage enforces beyond field shapes (sage-api §6, product-spec §3.7).
 * Each function adds RecordInvalid problems; none throws.
 */

const HTML_ENTITY = /&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/** Raw HTML entities (`&trade;`) in a line description are rejected (§22), under the umbrella source. */
export function checkHtmlEntities(p: Problems, quirks: Quirks, lines: ArtefactLineInput[]): void {
  if (lines.some((l) => HTML_ENTITY.test(l.description))) {
    p.add(lineSource(quirks, "description"), lineMessage(quirks, "contains HTML entities"));
  }
}

/**
 * Cross-border documents (billing country ≠ the business's) must be zero rated on every line and on
 * shipping (§29, decisions D2); EU billing countries also need one shared eu_goods_services_type_id.
 */
export function checkCrossBorder(
  p: Problems,
  businessCountry: string,
  billingCountry: string | undefined,
  lines: ArtefactLineInput[],
  lineRates: string[],
  shipping: { net: number; rateId: string },
): void {
  if (!billingCountry || billingCountry === businessCountry) return;
  const zeroMessage = "must be 'Zero Rated' for Customers outside the EU";
  if (lineRates.some((r) => r !== "GB_ZERO")) p.add("line_items.tax_rate_id", zeroMessage);
  if (shipping.net !== 0 && shipping.rateId !== "GB_ZERO") p.add("shipping_tax_rate_id", zeroMessage);
  if (!EU_COUNTRIES.has(billingCountry)) return;
  const types = lines.map((l) => l.eu_goods_services_type_id);
  if (types.some((t) => t === undefined)) p.add("line_items.eu_goods_services_type_id", "This field is required.");
  else if (new Set(types).size > 1) p.add("line_items.eu_goods_services_type_id", "must be the same");
}

/**
 * Currency and exchange rate (decisions D1): the document is in the contact's currency (contacts are
 * locked to one); a base-currency document takes no rate other than 1; a foreign one without a
 * rate gets the business rate. Returns the rate to store.
 */
export function resolveExchangeRate(
  p: Problems,
  docCurrency: string,
  contactCurrency: string,
  baseCurrency: string,
  sentRate: number | string | undefined,
): number {
  if (docCurrency !== contactCurrency) {
    p.add("currency_id", `must be the contact's currency (${contactCurrency})`);
  }
  const rate = sentRate === undefined ? undefined : num(sentRate);
  if (docCurrency === baseCurrency) {
    if (rate !== undefined && rate !== 1) {
      p.add("exchange_rate", "must be 1.0 when the document is in the contact's and the business's base currency");
    }
    return 1;
  }
  if (rate === undefined) return DEFAULT_RATES[docCurrency] ?? 1;
  if (!(rate > 0)) {
    p.add("exchange_rate", "must be greater than 0");
    return 1;
  }
  return rate;
}

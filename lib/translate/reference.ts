import { clip } from "./text";

/**
 * Sage `reference` for invoices and credit notes: the policy's prefix + Magento's increment id, never
 * prefixed twice (stores whose increment ids already carry the prefix, or a re-sync after a rename).
 * Sage caps references at 25 characters.
 */
export function documentReference(prefix: string | null, incrementId: string): string {
  const id = incrementId.trim();
  if (!prefix || id.startsWith(prefix)) return clip(id, 25);
  return clip(`${prefix}${id}`, 25);
}

/** YYYY-MM-DD of a Magento RFC3339 timestamp; Magento sends "" when it could not parse its own date. */
export function documentDate(createdAt: string | undefined, fallback: Date): string {
  const m = createdAt?.match(/^(\d{4}-\d{2}-\d{2})/);
  return m ? m[1] : fallback.toISOString().slice(0, 10);
}

/** Exchange rate per D1: Magento's base_to_order_rate unchanged (10 dp); omitted for base currency or 1. */
export function exchangeRate(currency: string, baseCurrency: string, baseToOrderRate: number | undefined): number | undefined {
  if (currency.toUpperCase() === baseCurrency.toUpperCase()) return undefined;
  if (baseToOrderRate === undefined || !(baseToOrderRate > 0)) return undefined;
  const rounded = Number(baseToOrderRate.toFixed(10));
  return rounded === 1 ? undefined : rounded;
}

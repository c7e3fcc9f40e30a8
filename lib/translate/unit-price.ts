/**
 * Decision D10, the one place it lives: line amounts Sage will recompute.
 *
 * Sage ignores a posted line `net_amount` and recomputes `round(quantity × unit_price, 2) −
 * discount_amount` (sage-api §6 item 10). Magento's `unit_price` can carry more decimals than its
 * stored 2-dp `row_total` (41.625 vs 41.62; 3 for 10.00 = 3.3333…), so posting it drifts a penny.
 * Rule, in pence: keep Magento's quantity; when `row_total ÷ quantity` is a whole number of pence
 * that is the unit price; otherwise round it UP to the next penny and hand the excess
 * (`round(quantity × unit_price) − row_total`, at most `quantity` pence) to the line's discount.
 * Sage's own arithmetic then lands on `row_total − Magento's discount` exactly.
 */

export interface SagePricing {
  quantity: number;
  /** pence, always a whole number */
  unitPence: number;
  /** pence added to the line's discount so Sage's net equals Magento's row total; 0 when exact */
  excessPence: number;
}

const EPSILON = 1e-6;

/** Sage's `round(quantity × unit_price, 2)` in pence (half away from zero). */
export function sageGrossPence(quantity: number, unitPence: number): number {
  const scaled = quantity * unitPence;
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

/**
 * The quantity and 2-dp unit price to post for a line whose Magento row total is `rowPence`.
 * A line without a positive quantity (never seen from Magento) is posted as one unit of its row.
 */
export function sagePricing(rowPence: number, quantity: number): SagePricing {
  if (!Number.isFinite(quantity) || quantity <= 0) return { quantity: 1, unitPence: rowPence, excessPence: 0 };
  const exact = rowPence / quantity;
  const nearest = Math.round(exact);
  // Rounding up (towards +∞) keeps Sage's gross at or above the row for any sign, so the excess is
  // never negative and always fits in a discount.
  const unitPence = Math.abs(exact - nearest) < EPSILON ? nearest : Math.ceil(exact);
  const excessPence = sageGrossPence(quantity, unitPence) - rowPence;
  return { quantity, unitPence, excessPence };
}

/**
 * Money arithmetic in integer pence (minor units), so sums equal Magento's to the penny. Magento's
 * amounts are PHP floats; every amount is rounded to 2 dp (half away from zero, as PHP's round does)
 * before it is used.
 */

export function toPence(amount: number): number {
  const scaled = amount * 100;
  // Nudge by a tiny epsilon so 1.005 (stored as 1.00499999…) rounds like PHP's round(1.005, 2) = 1.01.
  return Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-7);
}

export function fromPence(pence: number): number {
  return pence / 100;
}

export function round2(amount: number): number {
  return fromPence(toPence(amount));
}

export function sumPence(values: number[]): number {
  return values.reduce((acc, v) => acc + toPence(v), 0);
}

/**
 * Money maths the way Sage does it (sage-api §8.7): every line amount is rounded to 2 dp before
 * summing. Rounding is half-away-from-zero on the decimal string, so 0.125 → 0.13 despite floats.
 */
export function round2(n: number): number {
  const sign = n < 0 ? -1 : 1;
  const abs = Math.abs(n);
  // toPrecision(15) strips float noise (1.005 → "1.00500000000000") before the half-up step.
  const cleaned = Number(abs.toPrecision(15));
  return (sign * Math.round(Number(`${cleaned}e2`))) / 100 || 0;
}

export const sum = (xs: number[]): number => round2(xs.reduce((a, b) => a + b, 0));

/**
 * Sage emits decimals as JSON strings in Ruby BigDecimal style ("110.0", "49.96"), while the
 * Swagger types them as numbers; clients must parse both (sage-api §3.6).
 */
export function money(n: number): string {
  const s = String(Number(n.toPrecision(15)));
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/** Base-currency mirror of a document amount (decisions D1: base = document ÷ exchange_rate). */
export const toBase = (amount: number, exchangeRate: number): number => round2(amount / exchangeRate);

export const nearlyEqual = (a: number, b: number): boolean => Math.abs(a - b) < 0.005;

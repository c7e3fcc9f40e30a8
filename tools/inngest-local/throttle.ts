/**
 * GCRA (generic cell rate algorithm), as Inngest uses for `throttle`.
 *
 * Emission interval T = period / limit, tolerance τ = burst · T. A start is admitted when the
 * stored theoretical arrival time (TAT) is at most `now + τ`; the new TAT is `max(TAT, now) + T`.
 * Consequence (the contract the tests check): in any half-open window of length `period` at most
 * `limit + burst` runs start, and with `burst` 0 (the default) at most `limit`.
 */

export interface GcraParams {
  periodMs: number;
  limit: number;
  burst: number;
}

export type GcraDecision = { allowed: true; newTat: number } | { allowed: false; retryAt: number };

export function gcra(tat: number | null, now: number, p: GcraParams): GcraDecision {
  const interval = p.periodMs / p.limit;
  const tolerance = p.burst * interval;
  const current = tat ?? now;
  if (current - tolerance > now) return { allowed: false, retryAt: Math.ceil(current - tolerance) };
  return { allowed: true, newTat: Math.max(current, now) + interval };
}

/**
 * Per-business sliding one-minute window (sage-api §3.8: Sage counts calls per business per 60 s).
 * A limit of 0 disables throttling.
 */
export class RateLimiter {
  private windows = new Map<string, number[]>();

  constructor(public perMinute: number) {}

  /** Records a call; returns seconds to wait when the business is over its budget. */
  take(businessId: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.perMinute <= 0) return { ok: true };
    const cutoff = now - 60_000;
    const hits = (this.windows.get(businessId) ?? []).filter((t) => t > cutoff);
    if (hits.length >= this.perMinute) {
      this.windows.set(businessId, hits);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((hits[0] + 60_000 - now) / 1000)) };
    }
    hits.push(now);
    this.windows.set(businessId, hits);
    return { ok: true };
  }

  reset(): void {
    this.windows.clear();
  }
}

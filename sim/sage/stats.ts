/**
 * In-memory counters that tests and benchmarks read from GET /_admin/stats. They reset with the
 * process or POST /_admin/reset; they are observations, not state, so they are not persisted.
 */
export class Stats {
  private requests = new Map<string, number>();
  private statuses = new Map<number, number>();
  counters = this.zero();

  private zero() {
    return {
      throttled_429: 0,
      faults_injected: 0,
      tokens_issued: 0,
      refreshes_served: 0,
      invalid_grant: 0,
      revocations: 0,
      idempotent_replays: 0,
    };
  }

  /** Endpoint key with ids folded, e.g. `GET /v3.1/sales_invoices/{id}`. */
  static endpointKey(method: string, path: string): string {
    const segs = path.split("/").filter(Boolean);
    const folded = segs.map((s, i) => {
      if (/^[0-9a-f]{32}$/i.test(s)) return "{id}";
      // Under /v3.1 or /ui the third segment is always a resource id (reference ids like GB_ZERO too).
      if ((segs[0] === "v3.1" || segs[0] === "ui") && i === 2) return "{id}";
      return s;
    });
    return `${method} /${folded.join("/")}`;
  }

  request(method: string, path: string): void {
    const key = Stats.endpointKey(method, path);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  response(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  snapshot() {
    return {
      requests: Object.fromEntries([...this.requests.entries()].sort()),
      responses_by_status: Object.fromEntries(this.statuses.entries()),
      ...this.counters,
    };
  }

  reset(): void {
    this.requests.clear();
    this.statuses.clear();
    this.counters = this.zero();
  }
}

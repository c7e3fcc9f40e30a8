/**
 * Counts on filter tabs and toggles stop at COUNT_CAP: each value is counted by its own
 * `LIMIT COUNT_CAP + 1` index scan (the history's facets, lib/history/query.ts, and the status views'
 * chips, documents.ts), so a count costs at most that many index entries whatever the tenant's volume.
 * Above the cap the figure reads "2,000+"; below it, it is exact, which is what an operator acts on.
 * The cap is what keeps an all-time count at a million runs under 50 ms: measured on 2 vCPUs, p99 of the
 * history's all-time counts was 61–69 ms at 10,000, 48–52 ms at 5,000 and 33–44 ms at 2,000
 * (docs/performance.md). Past a couple of thousand, an exact figure changes no decision.
 */
export const COUNT_CAP = 2_000;

/** A capped count for display: exact up to COUNT_CAP, "2,000+" beyond. */
export function formatCount(n: number): string {
  return n > COUNT_CAP ? `${COUNT_CAP.toLocaleString("en-GB")}+` : n.toLocaleString("en-GB");
}

/**
 * Counts on filter tabs and toggles stop at COUNT_CAP: each value is counted by its own
 * `LIMIT COUNT_CAP + 1` index scan (the history's facets, lib/history/query.ts, and the status views'
 * chips, documents.ts), so a count costs at most that many index entries whatever the tenant's volume.
 * Above the cap the figure reads "10,000+"; below it, it is exact, which is what an operator acts on.
 */
export const COUNT_CAP = 10_000;

/** A capped count for display: exact up to COUNT_CAP, "10,000+" beyond. */
export function formatCount(n: number): string {
  return n > COUNT_CAP ? `${COUNT_CAP.toLocaleString("en-GB")}+` : n.toLocaleString("en-GB");
}

/** How the history prints durations, tries and times (shared by the table, the drawer and the embed). */

/** "850 ms", "2.4 s", "3 min"; "—" for a run still in flight. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** "2026-06-01 12:00:00 UTC": the absolute time every relative timestamp carries on hover. */
export function utcText(iso: string): string {
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** "1 try", "2 tries · rate limited": how hard the engine worked, and why when Sage held it back (issue 17). */
export function attemptsText(r: { attemptCount: number; errorClass: string | null }): string {
  const n = r.attemptCount;
  const tries = `${n} ${n === 1 ? "try" : "tries"}`;
  return r.errorClass === "rate_limited" ? `${tries} · rate limited` : tries;
}

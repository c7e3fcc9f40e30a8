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

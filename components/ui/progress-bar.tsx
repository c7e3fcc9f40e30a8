/**
 * The thin progress bar of long work (setup, bulk retry, reconciliation): an ARIA progressbar whose
 * fill is value / max, in the accent colour or, when the work ended with something to look at, warn.
 */
export function ProgressBar({
  value,
  max,
  label,
  tone = "accent",
  className = "mt-2",
}: {
  value: number;
  max: number;
  label: string;
  tone?: "accent" | "warn";
  className?: string;
}) {
  const pct = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 100;
  return (
    <div
      className={`${className} h-1.5 overflow-hidden rounded-full bg-surface-2`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
    >
      <div className={`h-full transition-all ${tone === "warn" ? "bg-warn" : "bg-accent"}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

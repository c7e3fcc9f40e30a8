import type { HealthVerdict } from "@/lib/health/rules";

const DOT: Record<HealthVerdict["tone"], string> = { green: "bg-ok", amber: "bg-warn", red: "bg-bad", grey: "bg-none" };
const TEXT: Record<HealthVerdict["tone"], string> = { green: "text-ok", amber: "text-warn", red: "text-bad", grey: "text-none" };

/** The health dot and its words (Connected / Needs attention / Disconnected), with the reason on hover. */
export function HealthDot({ verdict }: { verdict: HealthVerdict }) {
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap text-sm font-medium ${TEXT[verdict.tone]}`}
      title={verdict.reason}
      data-health={verdict.tone}
    >
      <span className={`h-2.5 w-2.5 shrink-0 rounded-full ${DOT[verdict.tone]}`} aria-hidden />
      {verdict.words}
    </span>
  );
}

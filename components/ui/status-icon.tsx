/**
 * Inline SVG icons for the status chip and the toggles that stand for it (ui.md). Emoji (⏳, ⏸) render
 * as empty boxes where no emoji font is installed, leaving colour as the only cue; an SVG drawn with
 * `currentColor` renders everywhere and follows the chip's tone. Always shown next to a text label.
 */
import type { ChipVariant } from "@/lib/status-views/vocabulary";

export type IconName = ChipVariant | "warning";

const PATHS: Record<IconName, React.ReactNode> = {
  // a tick
  synced: <path d="M3.5 8.5l3 3 6-7" />,
  // a clock: waiting, not stuck
  pending: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M8 5v3.2l2 1.3" />
    </>
  ),
  // two bars: held back on purpose
  skipped: <path d="M6 4.5v7M10 4.5v7" />,
  // a cross
  failed: <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" />,
  // a dash: nothing known
  none: <path d="M4.5 8h7" />,
  warning: (
    <>
      <path d="M8 2.5l6 10.5H2z" />
      <path d="M8 6.5v3M8 11.3v.2" />
    </>
  ),
};

export function StatusIcon({ name, className = "h-3.5 w-3.5" }: { name: IconName; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
      focusable="false"
      data-icon={name}
      className={`shrink-0 ${className}`}
    >
      {PATHS[name]}
    </svg>
  );
}

import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusIcon } from "@/components/ui/status-icon";
import { fixFor, SETTINGS_CARDS } from "@/lib/status-views/fixes";
import { codeMeaning, firstLine, NO_SYNC_CAUSES, type ChipVariant } from "@/lib/status-views/vocabulary";

/**
 * The one status chip (ui.md): label, icon and tone per variant, and a tooltip that says why — the
 * Sage reference, how long it has been pending, the skip reason in plain words, or the error class
 * with the first line of Sage's message. It links to the run or entity it describes; the tooltip
 * opens on hover and on keyboard focus, and its content is also the link's accessible name.
 */

const LOOK: Record<ChipVariant, { label: string; tone: string }> = {
  synced: { label: "Synced", tone: "bg-ok-soft text-ok" },
  pending: { label: "Pending", tone: "bg-info-soft text-info" },
  skipped: { label: "Skipped", tone: "bg-warn-soft text-warn" },
  failed: { label: "Failed", tone: "bg-bad-soft text-bad" },
  none: { label: "Not synced", tone: "bg-none-soft text-none" },
};

export interface StatusChipProps {
  variant: ChipVariant;
  /** the run or entity the chip describes */
  href?: string | null;
  reference?: string | null;
  sageId?: string | null;
  since?: string | null;
  reasonCode?: string | null;
  errorClass?: string | null;
  message?: string | null;
  /** extra context, e.g. "payment failed" when a payment run decided an invoice's chip (D4) */
  note?: string | null;
}

/** The tooltip cannot hold a link (the chip is one): it says where the fix is; the run drawer links to it. */
function fixLine(code: string | null | undefined, message?: string | null): string {
  const fix = fixFor(code, message);
  if (!fix?.action || !fix.target) return "";
  const where =
    fix.target.kind === "setting"
      ? `Settings → ${SETTINGS_CARDS[fix.target.card]}`
      : fix.target.kind === "reconnect_sage"
        ? "Connect Sage"
        : fix.target.kind === "magento"
          ? fix.target.where
          : "the document in Sage";
  return `Fix: ${fix.action} (${where})`;
}

function describe(p: StatusChipProps): { title: string; lines: string[] } {
  switch (p.variant) {
    case "synced":
      return {
        title: "Synced to Sage",
        lines: [p.reference ? `Reference ${p.reference}` : "", p.sageId ? `Sage id ${p.sageId}` : ""].filter(Boolean),
      };
    case "pending":
      return { title: "Pending", lines: ["Waiting for the sync engine"] };
    case "skipped":
      return {
        title: `Skipped: ${p.reasonCode ?? "by policy"}`,
        lines: [p.reasonCode ? (codeMeaning(p.reasonCode) ?? "") : "", fixLine(p.reasonCode)].filter(Boolean),
      };
    case "failed": {
      // The plain sentence first, then Sage's own words, then where the fix is (issue 17).
      const fix = fixFor(p.errorClass, p.message);
      return {
        title: `Error: ${p.errorClass ?? "unknown"}`,
        lines: [fix?.sentence ?? "", firstLine(p.message), fixLine(p.errorClass, p.message)].filter(Boolean),
      };
    }
    case "none":
      return { title: "No sync attempted", lines: [`Likely: ${NO_SYNC_CAUSES.join("; ")}.`] };
  }
}

export function StatusChip(props: StatusChipProps) {
  const look = LOOK[props.variant];
  const { title, lines } = describe(props);
  const allLines = props.note ? [props.note, ...lines] : lines;
  const label = [look.label, title, ...allLines].join(". ");
  const body = (
    <>
      <StatusIcon name={props.variant} />
      <span>{look.label}</span>
      <span
        aria-hidden
        className="pointer-events-none absolute left-0 top-full z-30 mt-1 hidden w-72 rounded-md border border-line bg-surface p-2.5 text-left text-xs font-normal text-ink shadow-lg group-hover:block group-focus-visible:block"
      >
        <span className="block font-medium">{title}</span>
        {props.note ? <span className="mt-0.5 block text-muted">{props.note}</span> : null}
        {lines.map((l) => (
          <span key={l} className="mt-0.5 block break-words text-muted">
            {l}
          </span>
        ))}
        {props.variant === "pending" && props.since ? (
          <span className="mt-0.5 block text-muted">
            Since <RelativeTime iso={props.since} />
          </span>
        ) : null}
      </span>
    </>
  );
  const cls = `group relative inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-accent/50 ${look.tone}`;
  return props.href ? (
    <Link href={props.href} scroll={false} aria-label={label} className={cls} data-chip={props.variant}>
      {body}
    </Link>
  ) : (
    <span tabIndex={0} role="img" aria-label={label} className={cls} data-chip={props.variant}>
      {body}
    </span>
  );
}

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { StatusIcon } from "@/components/ui/status-icon";
import { COUNT_CAP, formatCount } from "@/lib/status-views/counts";
import { statusViewHref, type StatusViewParams } from "@/lib/status-views/params";
import { CHIP_VARIANTS, type ChipVariant } from "@/lib/status-views/vocabulary";

/** Chip toggles with counts, search and paging shared by the invoice, credit memo and customer views. */

const CHIP_LABEL: Record<ChipVariant, string> = {
  synced: "Synced",
  pending: "Pending",
  skipped: "Skipped",
  failed: "Failed",
  none: "Not synced",
};

const UNKNOWN_NOTE =
  "Ledger only knows documents Magento sent it. Documents raised before the module was installed, or never sent, show as — in Magento's grid and are not counted here.";

export function ChipToggles({ path, p, counts }: { path: string; p: StatusViewParams; counts: Record<ChipVariant, number> }) {
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Status">
      {CHIP_VARIANTS.map((c) => {
        const on = p.chip === c;
        return (
          <Link
            key={c}
            href={statusViewHref(path, p, { chip: on ? undefined : c, after: undefined })}
            aria-pressed={on}
            data-chip-toggle={c}
            className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium ${on ? "border-accent bg-accent/10 text-ink" : "border-line text-muted hover:bg-surface-2"}`}
          >
            <StatusIcon name={c} />
            {CHIP_LABEL[c]}{" "}
            {c === "none" && counts.none === 0 ? (
              // Documents Magento never sent are unknown to Ledger (Magento's grid shows them as "—"): not zero.
              <span className="tabular-nums" title={UNKNOWN_NOTE} data-count-unknown>
                —
              </span>
            ) : (
              <span className="tabular-nums">{formatCount(counts[c])}</span>
            )}
          </Link>
        );
      })}
    </div>
  );
}

export function SearchBox({ p, placeholder }: { p: StatusViewParams; placeholder: string }) {
  return (
    <form role="search" className="flex items-center gap-2">
      {p.chip ? <input type="hidden" name="chip" value={p.chip} /> : null}
      {p.view !== "documents" ? <input type="hidden" name="view" value={p.view} /> : null}
      <input
        name="q"
        defaultValue={p.q ?? ""}
        aria-label="Search"
        placeholder={placeholder}
        className="w-64 rounded-md border border-line bg-surface px-2 py-1.5 text-sm"
      />
      <button type="submit" className="rounded-md border border-line px-2 py-1.5 text-sm hover:bg-surface-2">
        Search
      </button>
    </form>
  );
}

/** Keyset paging: back to the first page, or on past the last row shown (`next`, null on the last page). */
export function Pager({ path, p, next, total }: { path: string; p: StatusViewParams; next: string | null; total: number }) {
  if (!p.after && !next) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-center gap-3 text-sm">
      {p.after ? <Link href={statusViewHref(path, p, { after: undefined })}>← First page</Link> : null}
      <span className="text-muted" title={total > COUNT_CAP ? `Counts stop at ${COUNT_CAP.toLocaleString("en-GB")}` : undefined}>
        {formatCount(total)} in all
      </span>
      {next ? <Link href={statusViewHref(path, p, { after: next })}>Next →</Link> : null}
    </nav>
  );
}

export function EntityBanner({ path, p, noun }: { path: string; p: StatusViewParams; noun: string }) {
  if (p.entity === undefined) return null;
  return (
    <Alert tone="info" className="text-sm">
      Showing {noun} #{p.entity} only.{" "}
      <Link href={statusViewHref(path, p, { entity: undefined })} className="underline">
        Show all
      </Link>
    </Alert>
  );
}

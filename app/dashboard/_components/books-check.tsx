import Link from "next/link";
import { booksCheckForTenant } from "@/lib/books/summary";

/**
 * Home: do the books match? Every invoice, payment and credit note Ledger posts is compared with
 * Magento to the penny (decisions D11); this says how many were checked and how many Sage holds
 * differently, linking to exactly those runs.
 */
export async function BooksCheck({ tenantId, showEmpty }: { tenantId: string; showEmpty: boolean }) {
  const c = await booksCheckForTenant(tenantId);
  // During setup the checklist speaks; the check appears as soon as anything was posted.
  if (!c.checked && !showEmpty) return null;
  const n = (x: number) => x.toLocaleString("en-GB");
  const postings = (x: number) => `${n(x)} posting${x === 1 ? "" : "s"}`;
  if (c.mismatched > 0) {
    return (
      <section
        aria-label="Books check"
        data-testid="books-check"
        data-mismatched={c.mismatched}
        className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-warn/40 bg-warn-soft p-4"
      >
        <div>
          <h2 className="font-semibold text-warn">
            ⚠ {postings(c.mismatched)} in Sage differ{c.mismatched === 1 ? "s" : ""} from Magento
          </h2>
          <p className="text-sm text-muted">
            Of {postings(c.checked)} checked in the last {c.days} days, Sage holds a different total, VAT or balance for these. Open each to
            compare the figures line by line.
          </p>
        </div>
        <Link href="/dashboard/sync?warning=total_mismatch" className="text-sm font-medium text-accent hover:underline">
          Review {n(c.mismatched)} →
        </Link>
      </section>
    );
  }
  return (
    <section
      aria-label="Books check"
      data-testid="books-check"
      data-mismatched={0}
      className="rounded-xl border border-line bg-surface p-4 text-sm"
    >
      {c.checked ? (
        <p>
          <span className="text-ok">✓</span> {postings(c.checked)} in the last {c.days} days match Magento to the penny in Sage.
        </p>
      ) : (
        <p className="text-muted">
          No invoices, payments or credit notes in the last {c.days} days yet: each one Ledger posts is checked against Magento to the
          penny.
        </p>
      )}
    </section>
  );
}

import Link from "next/link";
import { bindingTitle } from "@/lib/bindings/detail";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { moneyForTenant } from "@/lib/books/money";
import { DEFAULT_FILTER } from "@/lib/history/filter";
import { historyHref } from "@/lib/history/href";
import { codeMeaning } from "@/lib/status-views/vocabulary";

/**
 * Home, money first (issue 17 point 2): per binding and currency over the last 30 days, invoice
 * amounts posted to Sage, not posted (with why), and posted but unpaid in Sage — each linking to the
 * runs behind it.
 */

const money = (amount: string, currency: string) => {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
};

const invoices = (n: number) => `${n.toLocaleString("en-GB")} ${n === 1 ? "invoice" : "invoices"}`;

/** "the invoice is unpaid and this binding only sends paid invoices": the sentence's first clause, without "Not sent:". */
const shortReason = (code: string) =>
  (codeMeaning(code) ?? code)
    .replace(/^Not sent: /, "")
    .split(/[.(]/)[0]
    .trim();

export async function MoneySummary({ tenantId }: { tenantId: string }) {
  const [money30, bindings] = await Promise.all([moneyForTenant(tenantId), listBindingSummaries(tenantId)]);
  const titles = new Map(
    bindings
      .filter((b) => b.status !== "revoked")
      .map((b) => [
        b.id,
        bindingTitle(b.magento.baseUrl, b.sage && b.sage.status !== "pending_selection" && b.sage.status !== "revoked" ? b.sage : null),
      ]),
  );
  const rows = money30.filter((r) => titles.has(r.bindingId));
  if (!rows.length) return null;
  const all = { ...DEFAULT_FILTER, range: "all" as const };
  return (
    <section aria-labelledby="money-title" className="space-y-3 rounded-xl border border-line bg-surface p-4 md:p-5" data-testid="money">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="money-title" className="text-base font-semibold">
          Invoices in the last 30 days
        </h2>
        <p className="text-xs text-muted">From the totals Magento sent; the latest sync of each invoice decides.</p>
      </div>
      <ul className="grid gap-3 lg:grid-cols-2">
        {rows.map((r) => (
          <li key={`${r.bindingId}:${r.currency}`} className="space-y-2 rounded-lg border border-line p-3" data-money={r.currency}>
            <p className="truncate text-xs text-muted">
              {titles.get(r.bindingId)} · {r.currency}
            </p>
            <dl className="grid grid-cols-3 gap-2 text-sm">
              <div>
                <dt className="text-xs text-muted">Posted to Sage</dt>
                <dd className="font-semibold tabular-nums text-ok" data-amount="posted">
                  {money(r.posted, r.currency)}
                </dd>
                <dd className="text-xs text-muted">{invoices(r.postedCount)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted">Not posted</dt>
                <dd className="font-semibold tabular-nums text-warn" data-amount="not-posted">
                  <Link
                    className="hover:underline"
                    href={historyHref({ ...all, binding: r.bindingId, event: "invoice.created", status: ["skipped_by_policy", "failed"] })}
                  >
                    {money(r.notPosted, r.currency)}
                  </Link>
                </dd>
                <dd className="text-xs text-muted">{invoices(r.notPostedCount)}</dd>
              </div>
              <div>
                <dt className="text-xs text-muted">Posted, unpaid in Sage</dt>
                <dd className="font-semibold tabular-nums text-bad" data-amount="posted-unpaid">
                  <Link
                    className="hover:underline"
                    href={historyHref({ ...all, binding: r.bindingId, event: "invoice.paid", status: ["skipped_by_policy", "failed"] })}
                  >
                    {money(r.postedUnpaid, r.currency)}
                  </Link>
                </dd>
                <dd className="text-xs text-muted">{invoices(r.postedUnpaidCount)}: payment not posted</dd>
              </div>
            </dl>
            {r.notPostedWhy.length ? (
              <ul className="space-y-0.5 text-xs text-muted" aria-label="Why not posted">
                {r.notPostedWhy.map((w) => (
                  <li key={w.code} title={codeMeaning(w.code) ?? undefined} data-why={w.code}>
                    <Link className="hover:underline" href={historyHref({ ...all, binding: r.bindingId, code: w.code as typeof all.code })}>
                      {money(w.amount, r.currency)} · {w.count} × {shortReason(w.code)}
                    </Link>{" "}
                    <code>{w.code}</code>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

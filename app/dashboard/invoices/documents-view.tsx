import Link from "next/link";
import { SortHeader } from "@/components/data-table/sort-header";
import { StatusChip } from "@/components/status-chip";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { sageUiBase } from "@/lib/history/detail";
import { entityRunsUrl, runUrl, sageDocumentUrl } from "@/lib/history/links";
import { listDocuments, type DocumentKind, type DocumentRow } from "@/lib/status-views/documents";
import { parseStatusViewParams, statusViewHref, type DocSort } from "@/lib/status-views/params";
import { LiveRefresh } from "../sync/live-refresh";
import { OrderRollups } from "./order-rollups";
import { ChipToggles, EntityBanner, Pager, SearchBox } from "./view-controls";

/**
 * The Magento-side view of invoices or credit memos: one row per document with the chip Magento's
 * grid shows (decisions D4 for invoices), its Sage reference, and links to the deciding run and to
 * all its runs.
 */

const NOUN: Record<DocumentKind, { one: string; many: string; path: string; event: string }> = {
  invoice: { one: "invoice", many: "Invoices", path: "/dashboard/invoices", event: "invoice.created" },
  creditmemo: { one: "credit memo", many: "Credit memos", path: "/dashboard/credit-memos", event: "creditmemo.created" },
};

function money(total: string | null, currency: string | null): string {
  if (total === null) return "—";
  const n = Number(total);
  if (!Number.isFinite(n) || !currency) return `${total} ${currency ?? ""}`.trim();
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(n);
  } catch {
    return `${total} ${currency}`;
  }
}

export async function DocumentsView({ kind, searchParams }: { kind: DocumentKind; searchParams: Record<string, string | string[] | undefined> }) {
  const noun = NOUN[kind];
  const ctx = await requireTenantContext("read", noun.path);
  const p = parseStatusViewParams(searchParams);
  const orders = kind === "invoice" && p.view === "orders";
  const sort = (label: string, key: DocSort) => (
    <SortHeader label={label} active={p.sort === key} dir={p.dir} href={statusViewHref(noun.path, p, { sort: key, dir: p.sort === key && p.dir === "desc" ? "asc" : "desc", page: 1 })} />
  );
  const data = orders ? null : await listDocuments(ctx.tenant.id, kind, p);
  const base = sageUiBase();
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{noun.many}</h1>
          <p className="text-muted">As Magento&apos;s grid shows them: the latest sync of each {noun.one} decides its chip.</p>
        </div>
        {kind === "invoice" ? (
          <div className="flex overflow-hidden rounded-md border border-line text-sm" role="group" aria-label="View">
            <Link href={statusViewHref(noun.path, p, { view: "documents", page: 1 })} aria-pressed={!orders} className={`px-3 py-1.5 ${!orders ? "bg-surface-2 font-medium" : ""}`}>
              Invoices
            </Link>
            <Link href={statusViewHref(noun.path, p, { view: "orders", page: 1 })} aria-pressed={orders} className={`px-3 py-1.5 ${orders ? "bg-surface-2 font-medium" : ""}`}>
              By order
            </Link>
          </div>
        ) : null}
      </header>
      <EntityBanner path={noun.path} p={p} noun={noun.one} />
      {orders ? (
        <OrderRollups tenantId={ctx.tenant.id} p={p} />
      ) : data ? (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <ChipToggles path={noun.path} p={p} counts={data.counts} />
            <SearchBox p={p} placeholder="Increment id, customer or order" />
          </div>
          {data.rows.length ? (
            <div className="overflow-x-auto rounded-xl border border-line bg-surface">
              <table className="w-full text-sm">
                <caption className="sr-only">{noun.many}</caption>
                <thead className="border-b border-line text-left text-xs text-muted">
                  <tr>
                    <th className="px-3 py-2 font-medium">{sort(kind === "invoice" ? "Invoice" : "Credit memo", "increment")}</th>
                    <th className="px-3 py-2 font-medium">{sort("Customer", "customer")}</th>
                    <th className="px-3 py-2 text-right font-medium">{sort("Total", "total")}</th>
                    <th className="px-3 py-2 font-medium">{sort("Status", "chip")}</th>
                    <th className="px-3 py-2 font-medium">Sage reference</th>
                    <th className="px-3 py-2 font-medium">{sort("Last activity", "recent")}</th>
                    <th className="px-3 py-2 font-medium">
                      <span className="sr-only">Runs</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <DocumentTableRow key={`${r.bindingId}:${r.entityId}`} r={r} kind={kind} sageBase={base} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <div className="rounded-xl border border-dashed border-line bg-surface p-10 text-center">
              <h2 className="text-lg font-semibold">{p.chip || p.q || p.entity !== undefined ? `No ${noun.one}s match` : `No ${noun.one}s synced yet`}</h2>
              <p className="mt-1 text-muted">
                {p.chip || p.q || p.entity !== undefined ? "Remove a filter to see more." : `${noun.many} appear here after Magento sends their first event. Check the sync history for what arrived.`}
              </p>
              <Link href={p.chip || p.q || p.entity !== undefined ? noun.path : "/dashboard/sync"} className="mt-4 inline-block text-accent underline">
                {p.chip || p.q || p.entity !== undefined ? "Clear filters" : "Open sync history"}
              </Link>
            </div>
          )}
          <Pager path={noun.path} p={p} pages={data.pages} />
        </>
      ) : null}
      <LiveRefresh everyMs={5000} />
    </div>
  );
}

function DocumentTableRow({ r, kind, sageBase }: { r: DocumentRow; kind: DocumentKind; sageBase: string | null }) {
  const doc = sageDocumentUrl(sageBase, r.runEvent ?? NOUN[kind].event, r.providerEntityId);
  return (
    <tr className="border-b border-line last:border-0" data-entity-id={r.entityId}>
      <td className="px-3 py-2">
        <span className="font-medium">{r.incrementId ?? `#${r.entityId}`}</span>
        {r.orderIncrementId ? <span className="block text-xs text-muted">order {r.orderIncrementId}</span> : null}
      </td>
      <td className="px-3 py-2">
        {r.customerName ?? "—"}
        {r.customerEmail ? <span className="block text-xs text-muted">{r.customerEmail}</span> : null}
      </td>
      <td className="px-3 py-2 text-right tabular-nums">{money(r.total, r.currency)}</td>
      <td className="px-3 py-2">
        <StatusChip
          variant={r.chip}
          href={r.runId ? runUrl(r.runId) : null}
          reference={r.providerReference}
          sageId={r.providerEntityId}
          since={r.since}
          reasonCode={r.reasonCode}
          errorClass={r.errorClass}
          message={r.errorMessage}
          note={r.paymentFailed ? "The payment run failed (the invoice itself may be in Sage)." : null}
        />
      </td>
      <td className="px-3 py-2">
        {r.providerReference ? (
          doc ? (
            <a href={doc} target="_blank" rel="noreferrer" className="text-accent hover:underline">
              {r.providerReference}
            </a>
          ) : r.runId ? (
            <Link href={runUrl(r.runId)} className="text-accent hover:underline">
              {r.providerReference}
            </Link>
          ) : (
            r.providerReference
          )
        ) : (
          <span className="text-muted">—</span>
        )}
      </td>
      <td className="px-3 py-2 text-muted">
        <RelativeTime iso={r.lastAt} />
      </td>
      <td className="px-3 py-2 text-right">
        <Link href={entityRunsUrl(kind, r.entityId)} className="text-xs text-accent hover:underline">
          Runs →
        </Link>
      </td>
    </tr>
  );
}

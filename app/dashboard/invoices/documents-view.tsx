import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTenantContext } from "@/lib/auth/context";
import { sageUiBase } from "@/lib/history/detail";
import { listDocuments, type DocumentKind } from "@/lib/status-views/documents";
import { parseStatusViewParams, statusViewHref } from "@/lib/status-views/params";
import { LiveRefresh } from "../sync/live-refresh";
import { DocumentsTable } from "./documents-table";
import { OrderRollups } from "./order-rollups";
import { ChipToggles, EntityBanner, Pager, SearchBox } from "./view-controls";
import { DOCUMENT_MATCH_LABEL, documentMatchedBy, type DocumentMatchKind } from "@/lib/status-views/search";
import type { DocumentRow } from "@/lib/status-views/documents";

/**
 * The Magento-side view of invoices or credit memos: one row per document with the chip Magento's
 * grid shows (decisions D4 for invoices), its Sage reference, and links to the deciding run and to
 * all its runs.
 */

const NOUN: Record<DocumentKind, { one: string; many: string; path: string }> = {
  invoice: { one: "invoice", many: "Invoices", path: "/dashboard/invoices" },
  creditmemo: { one: "credit memo", many: "Credit memos", path: "/dashboard/credit-memos" },
};

export async function DocumentsView({
  kind,
  searchParams,
}: {
  kind: DocumentKind;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const noun = NOUN[kind];
  const ctx = await requireTenantContext("read", noun.path);
  const p = parseStatusViewParams(searchParams);
  const orders = kind === "invoice" && p.view === "orders";
  const filtered = Boolean(p.chip || p.q || p.entity !== undefined);
  const data = orders ? null : await listDocuments(ctx.tenant.id, kind, p);
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{noun.many}</h1>
          <p className="text-muted">As Magento&apos;s grid shows them: the latest sync of each {noun.one} decides its chip.</p>
        </div>
        {kind === "invoice" ? (
          <div className="flex overflow-hidden rounded-md border border-line text-sm" role="group" aria-label="View">
            <Link
              href={statusViewHref(noun.path, p, { view: "documents", after: undefined })}
              aria-pressed={!orders}
              className={`px-3 py-1.5 ${!orders ? "bg-surface-2 font-medium" : ""}`}
            >
              Invoices
            </Link>
            <Link
              href={statusViewHref(noun.path, p, { view: "orders", after: undefined })}
              aria-pressed={orders}
              className={`px-3 py-1.5 ${orders ? "bg-surface-2 font-medium" : ""}`}
            >
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
            <SearchBox p={p} placeholder="000000028, SI-23, customer or order" />
          </div>
          {p.q && data.rows.length ? <MatchedBy q={p.q} rows={data.rows} /> : null}
          {data.rows.length ? (
            <DocumentsTable kind={kind} path={noun.path} caption={noun.many} rows={data.rows} p={p} sageBase={sageUiBase()} />
          ) : filtered ? (
            <EmptyState title={`No ${noun.one}s match`} action={{ href: noun.path, label: "Clear filters" }}>
              Remove a filter to see more.
            </EmptyState>
          ) : (
            <EmptyState title={`No ${noun.one}s synced yet`} action={{ href: "/dashboard/sync", label: "Open sync history" }}>
              {noun.many} appear here after Magento sends their first event. Check the sync history for what arrived.
            </EmptyState>
          )}
          <Pager path={noun.path} p={p} next={data.nextCursor} total={data.total} />
        </>
      ) : null}
      <LiveRefresh everyMs={5000} />
    </div>
  );
}

/** Which field the search matched on this page (issue 17): "Matched by Sage reference", never a silent guess. */
function MatchedBy({ q, rows }: { q: string; rows: DocumentRow[] }) {
  const kinds = [...new Set(rows.map((r) => documentMatchedBy(r, q)).filter((k): k is DocumentMatchKind => k !== null))];
  if (!kinds.length) return null;
  return (
    <p className="text-sm text-muted" data-testid="search-match">
      “{q}” matched by {kinds.map((k) => DOCUMENT_MATCH_LABEL[k]).join(", ")}.
    </p>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { getRunDetail, sageUiBase } from "@/lib/history/detail";
import { DEFAULT_FILTER, filterToSearchParams, isFiltered, type HistoryFilter } from "@/lib/history/filter";
import { COUNT_CAP, formatCount } from "@/lib/status-views/counts";
import { historyHref, LIMIT_STEP, MAX_LIMIT, parseHistoryView } from "@/lib/history/href";
import { countRuns, listRuns, type HistoryCounts } from "@/lib/history/query";
import { currentBulkRetry } from "@/lib/history/bulk-retry";
import { RETRYABLE_STATUSES } from "@/lib/sync/retry";
import { tenantProviders } from "@/lib/history/scope";
import { describeMatch, MATCH_KIND_LABEL, resolveSearch, type SearchMatch } from "@/lib/history/search";
import { RUN_STATUSES } from "@/lib/status-views/vocabulary";
import { bindingLabel } from "./binding-label";
import { BulkRetryButton, BulkRetryProgress } from "./bulk-retry";
import { DrawerShell } from "./drawer-shell";
import { FilterBar } from "./filter-bar";
import { LiveRefresh } from "./live-refresh";
import { RunDetailView } from "./run-detail";
import { RunsTable } from "./runs-table";

export const metadata: Metadata = { title: "Sync history" };

type SearchParams = Record<string, string | string[] | undefined>;

/** Runs matching the whole filter: the status counts leave the status out, so add up the chosen ones. */
function matchingTotal(f: HistoryFilter, counts: HistoryCounts): number {
  const statuses = f.status.length ? f.status : (Object.keys(counts.byStatus) as (keyof HistoryCounts["byStatus"])[]);
  return statuses.reduce((n, s) => n + counts.byStatus[s], 0);
}

function retryableTotal(f: HistoryFilter, counts: HistoryCounts): number {
  return RETRYABLE_STATUSES.filter((s) => !f.status.length || f.status.includes(s)).reduce((n, s) => n + counts.byStatus[s], 0);
}

export default async function SyncHistoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await requireTenantContext("read", "/dashboard/sync");
  const { filter: f, view } = parseHistoryView(await searchParams);
  const { limit, cursor, run: runId } = view;
  const tenantId = ctx.tenant.id;
  // A typed search becomes the entity filter of its best match; with no match there is nothing to list.
  const matches = f.q ? await resolveSearch(tenantId, f.q) : [];
  const qf: HistoryFilter | null = !f.q
    ? f
    : matches[0]
      ? { ...f, entity: matches[0].entityId, type: matches[0].entityType as HistoryFilter["type"] }
      : null;
  const [bindings, providers, page, counts, job, detail] = await Promise.all([
    listBindingSummaries(tenantId),
    tenantProviders(tenantId),
    qf ? listRuns(tenantId, qf, { cursor, limit }) : Promise.resolve({ rows: [], nextCursor: null }),
    qf ? countRuns(tenantId, qf) : Promise.resolve(noCounts()),
    currentBulkRetry(tenantId),
    runId ? getRunDetail(tenantId, runId) : Promise.resolve(null),
  ]);
  const canRetry = can(ctx.role, "retryRuns");
  // Bulk retry acts on what is listed: the search's resolved entity, never the unresolved text.
  const params = filterToSearchParams(qf ? { ...qf, q: undefined } : f).toString();
  const total = matchingTotal(f, counts);

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Sync history</h1>
          <p className="text-muted">
            {bindings.length === 1 ? bindingLabel(bindings[0]) : bindings.length ? `${bindings.length} bindings` : "No binding yet"} · every
            event Magento sent, and what reached Sage
          </p>
        </div>
        {canRetry ? (
          <BulkRetryButton key={params} count={job?.status === "running" ? 0 : retryableTotal(f, counts)} params={params} />
        ) : null}
      </header>

      {job ? <BulkRetryProgress job={job} /> : null}

      {bindings.length === 0 ? (
        <EmptyState title="Nothing to show yet" action={{ href: "/dashboard/connect-magento", label: "Pair Magento", variant: "primary" }}>
          Pair your Magento store and connect Sage; every invoice, payment, credit memo, customer and product event will appear here.
        </EmptyState>
      ) : (
        <>
          <FilterBar
            byStatus={counts.byStatus}
            byCode={counts.byCode}
            byWarning={counts.byWarning}
            bindings={bindings.map((b) => ({ id: b.id, label: bindingLabel(b) }))}
            providers={providers}
          />
          {f.q ? <SearchMatches typed={f.q} matches={matches} f={f} /> : null}
          <div className="flex items-baseline justify-between text-xs text-muted">
            <span data-testid="result-count">
              {cursor ? "Older runs" : `Showing ${page.rows.length.toLocaleString("en-GB")} of ${formatCount(total)}`} · keys: <kbd>j</kbd>/
              <kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>Esc</kbd> closes, <kbd>/</kbd> search
            </span>
            {total > COUNT_CAP ? (
              <span
                data-testid="count-cap-note"
                title={`Each count is exact up to ${COUNT_CAP.toLocaleString("en-GB")} and stops there, so it stays fast on any volume`}
              >
                counts stop at {COUNT_CAP.toLocaleString("en-GB")}
              </span>
            ) : null}
            {isFiltered(f) ? (
              <Link href={historyHref({ ...DEFAULT_FILTER, sort: f.sort, dir: f.dir })} scroll={false} className="underline">
                Clear filters
              </Link>
            ) : null}
          </div>
          {page.rows.length ? (
            <RunsTable key={params} rows={page.rows} sageBase={sageUiBase()} />
          ) : (
            <NoRuns filtered={isFiltered(f) || Boolean(cursor)} f={f} />
          )}
          <nav aria-label="More runs" className="flex items-center justify-center gap-3">
            {cursor ? (
              <Link href={historyHref(f)} scroll={false} className={buttonClass("ghost")}>
                ← Newest
              </Link>
            ) : null}
            {page.nextCursor && limit < MAX_LIMIT ? (
              <Link href={historyHref(f, { ...view, limit: limit + LIMIT_STEP })} scroll={false} className={buttonClass("secondary")}>
                Load more
              </Link>
            ) : null}
            {page.nextCursor && limit >= MAX_LIMIT ? (
              <Link href={historyHref(f, { cursor: page.nextCursor })} className={buttonClass("secondary")}>
                Older runs →
              </Link>
            ) : null}
          </nav>
        </>
      )}

      {runId ? (
        <DrawerShell
          closeHref={historyHref(f, { ...view, run: null })}
          title={detail ? `${detail.event} · ${detail.entityType} #${detail.magentoEntityId}` : "Run not found"}
        >
          {detail ? (
            <RunDetailView run={detail} canRetry={canRetry} />
          ) : (
            <div className="space-y-2" data-testid="run-not-found">
              <p className="font-medium">This run is not in {ctx.tenant.name}.</p>
              <p className="text-muted">
                It may belong to another workspace, or the link is mistyped. Switch workspace in the sidebar, or search the history by
                Magento entity id.
              </p>
            </div>
          )}
        </DrawerShell>
      ) : null}
      <LiveRefresh />
    </div>
  );
}

function noCounts(): HistoryCounts {
  return {
    byStatus: Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as HistoryCounts["byStatus"],
    byCode: {},
    byWarning: {},
  };
}

/** Which kind of thing the search matched (issue 17), and the other matches one click away. */
function SearchMatches({ typed, matches, f }: { typed: string; matches: SearchMatch[]; f: HistoryFilter }) {
  if (!matches.length) {
    return (
      <p data-testid="search-match" className="text-sm text-muted">
        Nothing matches “{typed}”. Try a document number (000000028), a Sage reference (SI-23) or a Magento entity id.
      </p>
    );
  }
  return (
    <div data-testid="search-match" className="space-y-1 text-sm">
      <p>{describeMatch(matches[0], typed)}</p>
      {matches.length > 1 ? (
        <p className="text-xs text-muted">
          Also:{" "}
          {matches.slice(1).map((m, i) => (
            <span key={`${m.entityType}:${m.entityId}`}>
              {i ? ", " : ""}
              <Link
                className="underline"
                scroll={false}
                href={historyHref({ ...f, q: undefined, entity: m.entityId, type: m.entityType as HistoryFilter["type"] })}
              >
                {m.entityType} #{m.entityId} ({MATCH_KIND_LABEL[m.kind]})
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

/** No rows: say why, and what to do next. */
function NoRuns({ filtered, f }: { filtered: boolean; f: HistoryFilter }) {
  if (!filtered) {
    return (
      <EmptyState title="No syncs yet" action={{ href: "/dashboard/bindings", label: "Check your bindings" }}>
        Raise an invoice in Magento: it shows up here within a minute. Nothing after a few minutes? Check that Magento&apos;s cron is
        running.
      </EmptyState>
    );
  }
  const onlyProblems = f.status.length > 0 && f.status.every((s) => s === "failed" || s === "skipped_by_policy");
  return (
    <EmptyState
      title={onlyProblems ? "Nothing needs attention here" : "No runs match these filters"}
      action={{ href: historyHref(DEFAULT_FILTER), label: "Clear filters" }}
      data-testid="empty-filtered"
    >
      Widen the time range or remove a filter.
    </EmptyState>
  );
}

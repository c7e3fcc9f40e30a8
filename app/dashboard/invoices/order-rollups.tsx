import Link from "next/link";
import { StatusChip } from "@/components/status-chip";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { runUrl } from "@/lib/history/links";
import { countDocuments, listOrderRollups } from "@/lib/status-views/documents";
import { DEFAULT_STATUS_VIEW, statusViewHref, type StatusViewParams } from "@/lib/status-views/params";
import { ChipToggles, Pager, SearchBox } from "./view-controls";

const PATH = "/dashboard/invoices";

/** Invoices grouped by order: "1 of 2 invoices synced", with each invoice's chip. */
export async function OrderRollups({ tenantId, p }: { tenantId: string; p: StatusViewParams }) {
  const [data, counts] = await Promise.all([listOrderRollups(tenantId, p), countDocuments(tenantId, "invoice", p)]);
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <ChipToggles path={PATH} p={p} counts={counts} />
        <SearchBox p={p} placeholder="Order, invoice or customer" />
      </div>
      {data.orders.length ? (
        <ul className="divide-y divide-line rounded-xl border border-line bg-surface">
          {data.orders.map((o) => (
            <li
              key={`${o.bindingId}:${o.orderKey}`}
              className="flex flex-wrap items-center gap-4 px-4 py-3 text-sm"
              data-order={o.orderIncrementId ?? o.orderKey}
            >
              <div className="min-w-40">
                <span className="font-medium">Order {o.orderIncrementId ?? "—"}</span>
                <span className="block text-xs text-muted">{o.customerName ?? ""}</span>
              </div>
              <span className={`font-medium ${o.synced === o.total ? "text-ok" : "text-warn"}`} data-rollup>
                {o.synced} of {o.total} invoice{o.total === 1 ? "" : "s"} synced
              </span>
              <div className="flex flex-wrap gap-2">
                {o.invoices.map((i) => (
                  <span key={i.entityId} className="inline-flex items-center gap-1">
                    <Link href={statusViewHref(PATH, DEFAULT_STATUS_VIEW, { entity: i.entityId })} className="text-xs hover:underline">
                      {i.incrementId ?? `#${i.entityId}`}
                    </Link>
                    <StatusChip variant={i.chip} href={i.runId ? runUrl(i.runId) : null} />
                  </span>
                ))}
              </div>
              <RelativeTime iso={o.lastAt} className="ml-auto text-xs text-muted" />
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState
          title="No orders match"
          action={{ href: statusViewHref(PATH, { ...p, view: "documents", after: undefined }), label: "Back to the invoice list" }}
        >
          Remove a filter, or switch back to the invoice list.
        </EmptyState>
      )}
      <Pager path={PATH} p={p} next={data.nextCursor} total={data.total} />
    </>
  );
}

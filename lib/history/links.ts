import { DEFAULT_STATUS_VIEW, statusViewHref } from "@/lib/status-views/params";
import { DEFAULT_FILTER, type HistoryFilter } from "./filter";
import { historyHref } from "./href";

/**
 * Deep links between the views (run → entity status view → its runs) and to the Sage document,
 * written by the views' own URL serializers. Browser-safe: the Sage UI base comes from the server
 * (env SAGE_UI_BASE_URL) as an argument.
 */

/** Sage collection per event, for the emulator's `/ui/{kind}/{id}` deep link. */
const SAGE_KIND: Record<string, string> = {
  "invoice.created": "sales_invoices",
  "invoice.paid": "contact_payments",
  "creditmemo.created": "sales_credit_notes",
  "customer.upserted": "contacts",
  "product.upserted": "products",
};

const ENTITY_VIEW: Record<string, string> = {
  invoice: "/dashboard/invoices",
  creditmemo: "/dashboard/credit-memos",
  customer: "/dashboard/customers",
};

export function sageDocumentUrl(base: string | null, event: string, providerEntityId: string | null): string | null {
  const kind = SAGE_KIND[event];
  return base && kind && providerEntityId ? `${base}/ui/${kind}/${encodeURIComponent(providerEntityId)}` : null;
}

export function entityViewUrl(entityType: string, magentoEntityId: number): string | null {
  const view = ENTITY_VIEW[entityType];
  return view ? statusViewHref(view, DEFAULT_STATUS_VIEW, { entity: magentoEntityId }) : null;
}

/** Every run of one entity, whenever it ran. */
export function entityRunsUrl(entityType: string, magentoEntityId: number, event?: string): string {
  return historyHref({
    ...DEFAULT_FILTER,
    entity: magentoEntityId,
    type: entityType as HistoryFilter["type"],
    event: event as HistoryFilter["event"],
    range: "all",
  });
}

/** The history drawer of one run. */
export function runUrl(runId: string): string {
  return historyHref(DEFAULT_FILTER, { run: runId });
}

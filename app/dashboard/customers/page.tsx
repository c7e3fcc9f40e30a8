import type { Metadata } from "next";
import Link from "next/link";
import { StatusChip } from "@/components/status-chip";
import { requireTenantContext } from "@/lib/auth/context";
import { entityRunsUrl, runUrl } from "@/lib/history/links";
import { listCustomers } from "@/lib/status-views/customers";
import { parseStatusViewParams } from "@/lib/status-views/params";
import { EntityBanner, Pager, SearchBox } from "../invoices/view-controls";

export const metadata: Metadata = { title: "Customers" };

const PATH = "/dashboard/customers";

/**
 * Customers and their Sage contacts — one per currency, because Sage locks a contact to one currency
 * (product-spec §1.10). Guests appear through the contacts their orders created.
 */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTenantContext("read", PATH);
  const p = parseStatusViewParams(await searchParams);
  const data = await listCustomers(ctx.tenant.id, p);
  const filtered = Boolean(p.q || p.chip || p.entity !== undefined);
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Customers</h1>
          <p className="text-muted">Each Magento customer with its Sage contacts, one per currency.</p>
        </div>
        <SearchBox p={p} placeholder="Name, e-mail, id or Sage reference" />
      </header>
      <EntityBanner path={PATH} p={p} noun="customer" />
      {data.rows.length ? (
        <div className="overflow-x-auto rounded-xl border border-line bg-surface">
          <table className="w-full text-sm">
            <caption className="sr-only">Customers</caption>
            <thead className="border-b border-line text-left text-xs text-muted">
              <tr>
                <th className="px-3 py-2 font-medium">Customer</th>
                <th className="px-3 py-2 font-medium">Last sync</th>
                <th className="px-3 py-2 font-medium">Sage contacts</th>
                <th className="px-3 py-2 font-medium">
                  <span className="sr-only">Runs</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((c) => (
                <tr key={`${c.magentoConnectionId}:${c.key}`} className="border-b border-line align-top last:border-0" data-customer={c.key}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{c.name ?? (c.entityId === null ? "Guest" : `Customer #${c.entityId}`)}</span>
                    <span className="block text-xs text-muted">
                      {c.entityId === null ? "guest checkout" : `#${c.entityId}`}
                      {c.email ? ` · ${c.email}` : ""}
                    </span>
                  </td>
                  <td className="px-3 py-2">
                    <StatusChip variant={c.chip} href={c.runId ? runUrl(c.runId) : null} reference={c.providerReference} sageId={c.providerEntityId} since={c.since} reasonCode={c.reasonCode} errorClass={c.errorClass} message={c.errorMessage} />
                  </td>
                  <td className="px-3 py-2">
                    {c.contacts.length ? (
                      <ul className="space-y-0.5">
                        {c.contacts.map((x) => (
                          <li key={x.currency || x.sageId} className="flex gap-2">
                            <span className="w-10 font-mono text-xs text-muted">{x.currency || "—"}</span>
                            <span className="font-medium">{x.reference ?? "—"}</span>
                            <span className="truncate text-xs text-muted" title={x.sageId}>
                              {x.displayedAs ?? x.sageId}
                            </span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-muted">No Sage contact yet</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {c.entityId !== null ? (
                      <Link href={entityRunsUrl("customer", c.entityId)} className="text-xs text-accent hover:underline">
                        Runs →
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="rounded-xl border border-dashed border-line bg-surface p-10 text-center">
          <h2 className="text-lg font-semibold">{filtered ? "No customers match" : "No customers in Sage yet"}</h2>
          <p className="mt-1 text-muted">{filtered ? "Remove the search to see everyone." : "Contacts are created when a customer is saved in Magento or their first invoice syncs."}</p>
          <Link href={filtered ? PATH : "/dashboard/sync"} className="mt-4 inline-block text-accent underline">
            {filtered ? "Clear search" : "Open sync history"}
          </Link>
        </div>
      )}
      <Pager path={PATH} p={p} pages={data.pages} />
    </div>
  );
}

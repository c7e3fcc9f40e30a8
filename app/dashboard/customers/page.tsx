import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTenantContext } from "@/lib/auth/context";
import { listCustomers } from "@/lib/status-views/customers";
import { parseStatusViewParams } from "@/lib/status-views/params";
import { EntityBanner, Pager, SearchBox } from "../invoices/view-controls";
import { CustomersTable } from "./customers-table";

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
        <CustomersTable rows={data.rows} />
      ) : filtered ? (
        <EmptyState title="No customers match" action={{ href: PATH, label: "Clear search" }}>
          Remove the search to see everyone.
        </EmptyState>
      ) : (
        <EmptyState title="No customers in Sage yet" action={{ href: "/dashboard/sync", label: "Open sync history" }}>
          Contacts are created when a customer is saved in Magento or their first invoice syncs.
        </EmptyState>
      )}
      <Pager path={PATH} p={p} next={data.nextCursor} total={data.total} />
    </div>
  );
}

import type { TenantContext } from "@/lib/auth/context";
import { NavLink } from "./nav-link";
import { TenantSwitcher } from "./tenant-switcher";

export const NAV: { href: string; label: string; exact?: boolean }[] = [
  { href: "/dashboard", label: "Home", exact: true },
  { href: "/dashboard/sync", label: "Sync history" },
  { href: "/dashboard/invoices", label: "Invoices" },
  { href: "/dashboard/credit-memos", label: "Credit memos" },
  { href: "/dashboard/customers", label: "Customers" },
  { href: "/dashboard/reconciliation", label: "Reconciliation" },
  { href: "/dashboard/bindings", label: "Bindings" },
  { href: "/dashboard/alerts", label: "Alerts" },
  { href: "/dashboard/members", label: "Members" },
  { href: "/dashboard/plan", label: "Plan" },
];

/** The server actions it posts to come from the route (components never import app/). */
export interface SidebarActions {
  switchTenant: (form: FormData) => Promise<void>;
  signOut: (form: FormData) => Promise<void>;
}

export function Sidebar({ ctx, actions }: { ctx: TenantContext; actions: SidebarActions }) {
  return (
    <aside className="flex w-full shrink-0 flex-col border-line bg-surface px-3 py-4 md:w-56 md:border-r">
      <TenantSwitcher current={ctx.tenant.id} memberships={ctx.memberships} action={actions.switchTenant} />
      <nav className="mt-6 flex-1 space-y-0.5" aria-label="Main">
        {NAV.map((n) => (
          <NavLink key={n.href} href={n.href} exact={n.exact}>
            {n.label}
          </NavLink>
        ))}
      </nav>
      <div className="space-y-2 border-t border-line pt-3">
        <div className="truncate px-2 text-xs text-muted" title={ctx.user.email}>
          <span className="block font-medium text-ink">{ctx.user.name ?? ctx.user.email}</span>
          {ctx.user.email} · {ctx.role}
        </div>
        <form action={actions.signOut}>
          <button type="submit" className="w-full rounded-md px-2 py-1.5 text-left text-muted hover:bg-surface-2 hover:text-ink">
            Sign out
          </button>
        </form>
      </div>
    </aside>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { bindingTitle } from "@/lib/bindings/detail";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { bindingHealthForTenant } from "@/lib/health/bindings";
import { TIER_LABEL } from "@/lib/policy/tiers";
import { BindingsTable } from "./bindings-table";

export const metadata: Metadata = { title: "Bindings" };

export default async function BindingsPage() {
  const ctx = await requireTenantContext("read", "/dashboard/bindings");
  const [bindings, health] = await Promise.all([listBindingSummaries(ctx.tenant.id), bindingHealthForTenant(ctx.tenant.id)]);
  const verdicts = new Map(health.map((h) => [h.bindingId, h.verdict]));
  const canConnect = can(ctx.role, "manageConnections");
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Bindings</h1>
          <p className="text-muted">Each binding joins one Magento store to one Sage business, with its own settings and history.</p>
          <p className="text-xs text-muted">
            Every binding uses the workspace&apos;s {TIER_LABEL[ctx.tenant.planTier]} plan ·{" "}
            <Link href="/dashboard/plan" className="hover:underline">
              See plans
            </Link>
          </p>
        </div>
        {canConnect ? (
          <Link href="/dashboard/connect-magento" className={buttonClass("primary")}>
            Connect another store
          </Link>
        ) : null}
      </header>
      {bindings.length === 0 ? (
        <EmptyState
          title="No store is connected yet"
          action={canConnect ? { href: "/dashboard/connect-magento", label: "Pair a Magento store", variant: "primary" } : undefined}
        >
          Generate a pairing code in Magento (Stores → Configuration → Byte8), then pair the store here.
        </EmptyState>
      ) : (
        <BindingsTable
          rows={bindings.map((b) => ({
            id: b.id,
            title: bindingTitle(b.magento.baseUrl, b.sage && b.sage.status !== "pending_selection" ? b.sage : null),
            status: b.status,
            verdict: verdicts.get(b.id) ?? null,
          }))}
        />
      )}
    </div>
  );
}

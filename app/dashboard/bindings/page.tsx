import type { Metadata } from "next";
import Link from "next/link";
import { HealthDot } from "@/components/charts/health-dot";
import { buttonClass } from "@/components/ui/button";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { bindingTitle } from "@/lib/bindings/detail";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { bindingHealthForTenant } from "@/lib/health/bindings";
import { TIER_LABEL } from "@/lib/policy/tiers";

export const metadata: Metadata = { title: "Bindings" };

const STATUS_TEXT: Record<string, string> = { active: "Active", pending_sage: "Waiting for Sage", revoked: "Disconnected" };

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
        <div className="rounded-xl border border-dashed border-line bg-surface p-10 text-center">
          <p className="font-medium">No store is connected yet.</p>
          <p className="mt-1 text-muted">Generate a pairing code in Magento (Stores → Configuration → Byte8), then pair the store here.</p>
          {canConnect ? (
            <Link href="/dashboard/connect-magento" className={`${buttonClass("primary")} mt-4`}>
              Pair a Magento store
            </Link>
          ) : null}
        </div>
      ) : (
        <ul className="divide-y divide-line rounded-xl border border-line bg-surface" aria-label="Bindings">
          {bindings.map((b) => {
            const verdict = verdicts.get(b.id);
            const title = bindingTitle(b.magento.baseUrl, b.sage && b.sage.status !== "pending_selection" ? b.sage : null);
            return (
              <li key={b.id} className="flex flex-wrap items-center gap-x-6 gap-y-2 px-5 py-4" aria-label={title}>
                <div className="min-w-0 flex-1">
                  <Link href={`/dashboard/bindings/${b.id}`} className="font-medium hover:underline">
                    {title}
                  </Link>
                  <div className="text-xs text-muted">
                    {STATUS_TEXT[b.status] ?? b.status}
                  </div>
                </div>
                {verdict ? <HealthDot verdict={verdict} /> : null}
                <div className="flex gap-2">
                  <Link href={`/dashboard/bindings/${b.id}/settings`} className={buttonClass("secondary")}>
                    Settings
                  </Link>
                  <Link href={`/dashboard/sync?binding=${b.id}`} className={buttonClass("secondary")}>
                    Sync history
                  </Link>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

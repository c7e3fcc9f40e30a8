import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { planPageData } from "@/lib/plans/page-data";
import { PLAN_FEATURE_ROWS, TIER_LABEL, TIER_ORDER, TIER_SUMMARY, tierIncludes } from "@/lib/policy/tiers";
import type { PlanTier } from "@/src/generated/prisma/enums";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Plan" };

/**
 * The workspace's plan and what each plan includes (product-spec §1.8; the matrix is
 * lib/policy/tiers.ts). Plans are changed by Ledger's operators, so the page says who to ask.
 */
export default async function PlanPage() {
  const ctx = await requireTenantContext("read", "/dashboard/plan");
  const data = await planPageData(ctx.tenant.id);
  const current = data.tier;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Plan</h1>
        <p className="text-muted">What {ctx.tenant.name} can sync to Sage, and what each plan adds.</p>
      </header>

      <section aria-labelledby="current-plan" className="rounded-xl border border-line bg-surface p-5" data-testid="current-plan">
        <h2 id="current-plan" className="text-xs font-medium uppercase tracking-wide text-muted">
          Current plan
        </h2>
        <p className="mt-1 text-xl font-semibold">{TIER_LABEL[current]}</p>
        <p className="text-muted">{TIER_SUMMARY[current]}</p>
        {data.lastChange ? (
          <p className="mt-2 text-xs text-muted">
            Since <RelativeTime iso={data.lastChange.at} />
            {data.lastChange.from ? ` (was ${TIER_LABEL[data.lastChange.from]})` : null}
          </p>
        ) : null}
        {!data.gating ? (
          <Alert tone="info" role="status" className="mt-3">
            Plan limits are switched off on this installation: every feature is available whatever the plan.
          </Alert>
        ) : null}
      </section>

      <section aria-labelledby="tiers-title" className="space-y-3">
        <h2 id="tiers-title" className="text-base font-semibold">
          What each plan includes
        </h2>
        <div className="hidden rounded-xl border border-line bg-surface md:block">
          <table className="w-full text-left">
            <thead className="border-b border-line text-xs text-muted">
              <tr>
                <th className="px-4 py-2 font-medium">Feature</th>
                {TIER_ORDER.map((t) => (
                  <th
                    key={t}
                    scope="col"
                    className={`px-3 py-2 text-center font-medium ${t === current ? "bg-accent/10 text-ink" : ""}`}
                    aria-current={t === current ? "true" : undefined}
                  >
                    {TIER_LABEL[t]}
                    {t === current ? <span className="block text-[11px] font-normal text-accent">Your plan</span> : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {PLAN_FEATURE_ROWS.map((row) => (
                <tr key={row.label}>
                  <th scope="row" className="px-4 py-2.5 font-normal">
                    <span className="font-medium">{row.label}</span>
                    <span className="block text-xs text-muted">{row.description}</span>
                  </th>
                  {TIER_ORDER.map((t) => (
                    <td key={t} className={`px-3 py-2.5 text-center ${t === current ? "bg-accent/10" : ""}`}>
                      <Included yes={tierIncludes(t, row.gate)} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ol className="space-y-3 md:hidden">
          {TIER_ORDER.map((t) => (
            <TierCard key={t} tier={t} current={t === current} />
          ))}
        </ol>
      </section>

      <section aria-labelledby="change-title" className="space-y-2 rounded-xl border border-line bg-surface p-5">
        <h2 id="change-title" className="text-base font-semibold">
          Changing plan
        </h2>
        <p className="text-muted">
          Plans are changed by the people who run Ledger for you: ask them for the plan you need. Settings you saved stay as they are; a
          setting your new plan does not include has to be turned off at its next save.
        </p>
        <details className="text-sm">
          <summary className="cursor-pointer text-muted">For operators</summary>
          <pre className="mt-2 overflow-x-auto rounded-md bg-surface-2 px-3 py-2 font-mono text-xs">
            npm run ops -- plan {ctx.tenant.id} growth
          </pre>
          <p className="mt-1 text-xs text-muted">
            The change is audited. Self-hosted installs can switch plan limits off with LEDGER_PLAN_GATING=false.
          </p>
        </details>
      </section>
    </div>
  );
}

function Included({ yes }: { yes: boolean }) {
  return yes ? (
    <span className="text-ok" title="Included">
      ✓<span className="sr-only">Included</span>
    </span>
  ) : (
    <span className="text-muted" title="Not included">
      —<span className="sr-only">Not included</span>
    </span>
  );
}

/** Small screens: one card per plan listing what it includes, instead of a wide table. */
function TierCard({ tier, current }: { tier: PlanTier; current: boolean }) {
  return (
    <li className={`rounded-xl border bg-surface p-4 ${current ? "border-accent" : "border-line"}`}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="font-semibold">{TIER_LABEL[tier]}</span>
        {current ? <span className="text-xs text-accent">Your plan</span> : null}
      </div>
      <p className="text-xs text-muted">{TIER_SUMMARY[tier]}</p>
      <ul className="mt-2 space-y-0.5 text-sm">
        {PLAN_FEATURE_ROWS.filter((r) => tierIncludes(tier, r.gate)).map((r) => (
          <li key={r.label}>✓ {r.label}</li>
        ))}
      </ul>
    </li>
  );
}

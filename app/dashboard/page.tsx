import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { bindingTitle } from "@/lib/bindings/detail";
import { listBindingSummaries } from "@/lib/bindings/summaries";
import { bindingHealthForTenant } from "@/lib/health/bindings";
import {
  onboardingComplete,
  onboardingState,
  onboardingTargets,
  type OnboardingState,
  type OnboardingTargets,
} from "@/lib/tenants/onboarding";
import { BooksCheck } from "./_components/books-check";
import { MoneySummary } from "./_components/money-summary";
import { BindingCard } from "./bindings/_components/binding-card";
import { ProgressBar } from "@/components/ui/progress-bar";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const ctx = await requireTenantContext("read", "/dashboard");
  const state = await onboardingState(ctx.tenant.id);
  const done = onboardingComplete(state);
  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{ctx.tenant.name}</h1>
          <p className="text-muted">Magento → Sage Business Cloud Accounting</p>
        </div>
        {done && can(ctx.role, "manageConnections") ? (
          <Link href="/dashboard/connect-magento" className={buttonClass("secondary")}>
            Connect another store
          </Link>
        ) : null}
      </header>
      <MoneySummary tenantId={ctx.tenant.id} />
      <BooksCheck tenantId={ctx.tenant.id} showEmpty={done} />
      {done ? <BindingCards tenantId={ctx.tenant.id} /> : null}
      {/* Leads until setup is done, then stays available, collapsed, below (ui.md; issue 17 point 10). */}
      <Checklist state={state} targets={await onboardingTargets(ctx.tenant.id)} collapsed={done} />
    </div>
  );
}

async function BindingCards({ tenantId }: { tenantId: string }) {
  const [bindings, health] = await Promise.all([listBindingSummaries(tenantId), bindingHealthForTenant(tenantId)]);
  const byId = new Map(health.map((h) => [h.bindingId, h]));
  // Disconnected bindings live on the Bindings page; Home is about what is syncing.
  const live = bindings.filter((b) => b.status !== "revoked");
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {live.map((b) => {
        const h = byId.get(b.id);
        return h ? (
          <BindingCard
            key={b.id}
            bindingId={b.id}
            health={h}
            title={bindingTitle(
              b.magento.baseUrl,
              b.sage && b.sage.status !== "pending_selection" && b.sage.status !== "revoked" ? b.sage : null,
            )}
          />
        ) : null;
      })}
    </div>
  );
}

/** The first-run checklist: pair Magento → connect Sage → review settings → first sync, each linking to its flow. */

interface Step {
  key: keyof OnboardingState;
  title: string;
  body: string;
  href: string | null;
  cta: string;
}

function steps(t: OnboardingTargets): Step[] {
  return [
    {
      key: "magentoPaired",
      title: "Pair your Magento store",
      body: "Generate a pairing code in Magento (Stores → Configuration → Byte8) and enter it here with your store URL.",
      href: "/dashboard/connect-magento",
      cta: "Pair a store",
    },
    {
      key: "sageConnected",
      title: "Connect Sage",
      body: "Sign in to Sage Business Cloud Accounting and pick the business Ledger should post to.",
      href: t.pendingSageBindingId ? `/dashboard/connect-sage?binding=${t.pendingSageBindingId}` : "/dashboard/connect-sage",
      cta: "Connect Sage",
    },
    {
      key: "settingsReviewed",
      title: "Review settings",
      body: "Check tax routing, the sales ledger account and which payment methods post payments, then Save.",
      href: t.activeBindingId ? `/dashboard/bindings/${t.activeBindingId}/settings` : null,
      cta: "Review settings",
    },
    {
      key: "firstSync",
      title: "First sync",
      body: "Raise an invoice in Magento; it appears in Sage within a minute and its chip turns Synced.",
      href: "/dashboard/sync",
      cta: "Watch Sync history",
    },
  ];
}

function Checklist({ state, targets, collapsed }: { state: OnboardingState; targets: OnboardingTargets; collapsed: boolean }) {
  const list = steps(targets);
  const done = list.filter((s) => state[s.key]).length;
  const next = list.find((s) => !state[s.key]);
  if (collapsed) {
    return (
      <details className="rounded-xl border border-line bg-surface p-4 text-sm" data-testid="setup-checklist">
        <summary className="cursor-pointer font-medium">
          Setup complete · {done} of {list.length} done <span className="font-normal text-muted">(show the steps)</span>
        </summary>
        <ol className="mt-3 space-y-2">
          {list.map((s) => (
            <li key={s.key} className="flex gap-2">
              <span className="text-ok" aria-label="done">
                ✓
              </span>
              <span>
                <span className="font-medium">{s.title}</span> <span className="text-muted">{s.body}</span>
                {s.href ? (
                  <Link href={s.href} className="ml-1 text-accent hover:underline">
                    {s.cta} →
                  </Link>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      </details>
    );
  }
  return (
    <section aria-labelledby="checklist" className="rounded-xl border border-line bg-surface p-6">
      <div className="flex items-baseline justify-between">
        <h2 id="checklist" className="text-base font-semibold">
          Get set up
        </h2>
        <span className="text-muted">
          {done} of {list.length} done
        </span>
      </div>
      <ProgressBar value={done} max={list.length} label="Setup progress" className="mt-3" />
      <ol className="mt-5 space-y-4">
        {list.map((s, i) => {
          const isDone = state[s.key];
          return (
            <li key={s.key} className="flex gap-3">
              <span
                className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${isDone ? "bg-ok-soft text-ok" : "bg-surface-2 text-muted"}`}
                aria-label={isDone ? "done" : "to do"}
              >
                {isDone ? "✓" : i + 1}
              </span>
              <div className="min-w-0 flex-1">
                <div className={`font-medium ${isDone ? "text-muted line-through" : ""}`}>{s.title}</div>
                <p className="text-muted">{s.body}</p>
                {!isDone && s.href ? (
                  <Link
                    href={s.href}
                    className={`mt-1 inline-block text-sm font-medium ${s === next ? "text-accent" : "text-muted"} hover:underline`}
                  >
                    {s.cta} →
                  </Link>
                ) : null}
                {s.key === "firstSync" && !isDone && targets.storeUrl ? (
                  <a href={targets.storeUrl} target="_blank" rel="noreferrer" className="ml-3 text-sm text-muted hover:underline">
                    Open your store ↗
                  </a>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

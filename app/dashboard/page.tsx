import type { Metadata } from "next";
import { requireTenantContext } from "@/lib/auth/context";
import { onboardingState } from "@/lib/tenants/onboarding";

export const metadata: Metadata = { title: "Home" };

const STEPS = [
  { key: "magentoPaired", title: "Pair your Magento store", body: "Generate a pairing code in Magento (Stores → Configuration → Byte8) and enter it here with your store URL." },
  { key: "sageConnected", title: "Connect Sage", body: "Sign in to Sage Business Cloud Accounting and pick the business Ledger should post to." },
  { key: "settingsReviewed", title: "Review settings", body: "Check tax routing, the sales ledger account and which payment methods post payments." },
  { key: "firstSync", title: "First sync", body: "Raise an invoice in Magento; it appears in Sage within a minute and its chip turns ✓ Synced." },
] as const;

export default async function HomePage() {
  const ctx = await requireTenantContext("read", "/dashboard");
  const state = await onboardingState(ctx.tenant.id);
  const done = STEPS.filter((s) => state[s.key]).length;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">{ctx.tenant.name}</h1>
        <p className="text-muted">Magento → Sage Business Cloud Accounting</p>
      </header>
      <section aria-labelledby="checklist" className="rounded-xl border border-line bg-surface p-6">
        <div className="flex items-baseline justify-between">
          <h2 id="checklist" className="text-base font-semibold">
            Get set up
          </h2>
          <span className="text-muted">
            {done} of {STEPS.length} done
          </span>
        </div>
        <div className="mt-3 h-1.5 overflow-hidden rounded-full bg-surface-2" role="progressbar" aria-valuemin={0} aria-valuemax={STEPS.length} aria-valuenow={done}>
          <div className="h-full bg-accent" style={{ width: `${(done / STEPS.length) * 100}%` }} />
        </div>
        <ol className="mt-5 space-y-4">
          {STEPS.map((s, i) => (
            <li key={s.key} className="flex gap-3">
              <span
                className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${
                  state[s.key] ? "bg-ok-soft text-ok" : "bg-surface-2 text-muted"
                }`}
                aria-label={state[s.key] ? "done" : "to do"}
              >
                {state[s.key] ? "✓" : i + 1}
              </span>
              <div>
                <div className={`font-medium ${state[s.key] ? "text-muted line-through" : ""}`}>{s.title}</div>
                <p className="text-muted">{s.body}</p>
              </div>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

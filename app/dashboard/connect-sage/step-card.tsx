import { Alert } from "@/components/ui/alert";

/** One step of a connect flow: a single centred card (ui.md, "Connect flows"). */
export function StepCard({ eyebrow, title, children }: { eyebrow?: string; title: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-center py-10">
      <section className="w-full max-w-lg space-y-5 rounded-xl border border-line bg-surface p-8 shadow-sm" aria-labelledby="step-title">
        <div className="space-y-1">
          {eyebrow ? <div className="text-xs font-semibold uppercase tracking-wider text-accent">{eyebrow}</div> : null}
          <h1 id="step-title" className="text-xl font-semibold">
            {title}
          </h1>
        </div>
        {children}
      </section>
    </div>
  );
}

/** What went wrong, in the merchant's terms (never an internal message). */
export function Problem({ children }: { children: React.ReactNode }) {
  return (
    <Alert tone="error" className="text-sm">
      {children}
    </Alert>
  );
}

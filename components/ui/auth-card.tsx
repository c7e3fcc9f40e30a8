export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6 rounded-xl border border-line bg-surface p-8 shadow-sm">
        <div className="space-y-1">
          <div className="text-xs font-semibold uppercase tracking-wider text-accent">Ledger</div>
          <h1 className="text-xl font-semibold">{title}</h1>
          {subtitle ? <p className="text-muted">{subtitle}</p> : null}
        </div>
        {children}
      </div>
    </main>
  );
}

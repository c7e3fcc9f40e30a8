import Link from "next/link";
import { StatusChip } from "@/components/status-chip";
import { RelativeTime } from "@/components/ui/relative-time";
import type { RunDetail } from "@/lib/history/detail";
import { formatDuration, utcText } from "@/lib/history/format";
import type { DiffEntry } from "@/lib/history/json-diff";
import { describeMismatch, type TotalMismatch } from "@/lib/books/verify-posting";
import { FixHint } from "@/components/ui/fix-hint";
import { chipForStatus } from "@/lib/status-views/vocabulary";
import { RetryButton } from "./retry-button";

/** The run drawer's body: what happened, what Sage said, what changed between attempts, what next. */

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-muted">—</span>;
  return <pre className="max-h-48 overflow-auto rounded-md bg-surface-2 p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "—" : s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

const KIND_LOOK: Record<DiffEntry["kind"], { sign: string; tone: string }> = {
  added: { sign: "+", tone: "text-ok" },
  removed: { sign: "−", tone: "text-bad" },
  changed: { sign: "~", tone: "text-warn" },
};

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="space-y-2 border-t border-line pt-4 first:border-0 first:pt-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h3>
      {children}
    </section>
  );
}

const DOCUMENT_LABEL: Record<TotalMismatch["document"], string> = { sales_invoice: "Sales invoice", sales_credit_note: "Credit note" };
const AFTER_LABEL: Record<TotalMismatch["after"], string> = {
  create: "as posted",
  payment: "after the payment",
  allocation: "after the credit was allocated",
  refund: "after the refund",
};

/** D11: one line per figure that differs, Sage's next to Magento's, grouped by document and moment. */
function MismatchLines({ mismatches }: { mismatches: TotalMismatch[] }) {
  if (!mismatches.length) return null;
  const groups = new Map<string, TotalMismatch[]>();
  for (const m of mismatches) {
    const key = `${m.document}|${m.sageId}|${m.after}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return (
    <div className="mt-2 space-y-2" data-testid="total-mismatches">
      {[...groups.values()].map((ms) => (
        <div key={`${ms[0].sageId}-${ms[0].after}`} className="rounded-md border border-warn/40 p-2">
          <p className="text-xs font-medium">
            {DOCUMENT_LABEL[ms[0].document]} {ms[0].reference ?? ms[0].sageId} {AFTER_LABEL[ms[0].after]}
          </p>
          <ul className="mt-1 space-y-0.5 font-mono text-xs">
            {ms.map((m) => (
              <li key={`${m.field}-${m.line ?? 0}`} data-mismatch={m.field}>
                {describeMismatch(m)}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

export function RunDetailView({ run, canRetry }: { run: RunDetail; canRetry: boolean }) {
  const chip = chipForStatus(run.status);
  return (
    <div className="space-y-5 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <StatusChip
          variant={chip}
          reference={run.providerReference}
          sageId={run.providerEntityId}
          since={run.updatedAt}
          reasonCode={run.reasonCode}
          errorClass={run.errorClass}
          message={run.errorMessage}
        />
        <code className="text-xs">{run.event}</code>
        <span>
          {run.entityType} #{run.magentoEntityId}
          {run.magentoIncrementId ? <span className="text-muted"> · {run.magentoIncrementId}</span> : null}
        </span>
      </div>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-muted">Received</dt>
        <dd>
          <RelativeTime iso={run.createdAt} /> <span className="text-xs text-muted">({utcText(run.createdAt)})</span>
        </dd>
        <dt className="text-muted">Binding</dt>
        <dd>
          {run.binding.magentoBaseUrl} ↔ {run.binding.sageBusinessName ?? "Sage not connected"}
        </dd>
        <dt className="text-muted">Policy version</dt>
        <dd>v{run.policyVersion}</dd>
        <dt className="text-muted">Sage reference</dt>
        <dd>
          {run.providerReference ?? "—"}
          {run.providerEntityId ? <span className="ml-2 text-xs text-muted">id {run.providerEntityId}</span> : null}
          {run.links.sageDocument ? (
            <a href={run.links.sageDocument} target="_blank" rel="noreferrer" className="ml-2 text-accent hover:underline">
              Open in Sage ↗
            </a>
          ) : null}
        </dd>
      </dl>

      {run.errorMessage || run.reasonCode ? (
        <Section title={run.status === "failed" ? "What Sage said" : run.status === "skipped_by_policy" ? "Why it was skipped" : "Note"}>
          <FixHint
            code={run.reasonCode ?? run.errorClass}
            message={run.errorMessage}
            bindingId={run.binding.id}
            sageDocument={run.links.sageDocument}
          />
          {run.errorMessage ? (
            <pre
              data-testid="sage-message"
              className="whitespace-pre-wrap break-words rounded-md border border-bad/30 bg-bad-soft p-3 text-xs text-ink"
            >
              {run.errorMessage}
            </pre>
          ) : null}
        </Section>
      ) : null}

      {run.warnings.length ? (
        <Section title="Warnings">
          <ul className="space-y-2">
            {run.warnings.map((w) => (
              <li key={w} data-warning={w}>
                <FixHint code={w} bindingId={run.binding.id} sageDocument={run.links.sageDocument} />
                {w === "total_mismatch" ? <MismatchLines mismatches={run.mismatches} /> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section title={`Attempts (${run.attempts.length})`}>
        {run.attempts.length === 0 ? <p className="text-muted">No attempt recorded yet: the run has not reached Magento or Sage.</p> : null}
        <ol className="space-y-3">
          {run.attempts.map((a) => (
            <li key={a.number} className="rounded-md border border-line p-3" data-attempt={a.number}>
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">#{a.number}</span>
                <code className="text-xs">{a.step ?? "step"}</code>
                <span className={a.outcome === "failed" ? "text-bad" : a.outcome === "succeeded" ? "text-ok" : "text-warn"}>
                  {a.outcome}
                </span>
                {a.httpStatus ? <span className="text-xs text-muted">HTTP {a.httpStatus}</span> : null}
                <span className="text-xs text-muted">{formatDuration(a.durationMs)}</span>
                <RelativeTime iso={a.startedAt} className="ml-auto text-xs text-muted" />
              </div>
              {a.errorMessage ? (
                <p className="mt-1 text-xs">
                  <code>{a.errorClass}</code> {a.errorMessage}
                </p>
              ) : null}
              {a.requestSummary !== null || a.responseSummary !== null ? (
                <details className="mt-2">
                  <summary className="cursor-pointer text-xs text-muted">Request / response</summary>
                  <div className="mt-1 grid gap-2">
                    <Json value={a.requestSummary} />
                    <Json value={a.responseSummary} />
                  </div>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      </Section>

      {run.diffs.length ? (
        <Section title="Payload changes between attempts">
          {run.diffs.map((d) => (
            <div key={`${d.fromAttempt}-${d.toAttempt}`} data-testid="payload-diff">
              <p className="text-xs text-muted">
                Attempt #{d.fromAttempt} → #{d.toAttempt}:{" "}
                {d.entries.length ? `${d.entries.length} change${d.entries.length === 1 ? "" : "s"}` : "identical payload"}
              </p>
              <ul className="mt-1 space-y-0.5 font-mono text-xs">
                {d.entries.map((e) => (
                  <li key={`${e.kind}:${e.path}`} className={KIND_LOOK[e.kind].tone}>
                    {KIND_LOOK[e.kind].sign} {e.path}
                    {e.kind === "changed"
                      ? `: ${short(e.before)} → ${short(e.after)}`
                      : e.kind === "added"
                        ? `: ${short(e.after)}`
                        : `: ${short(e.before)}`}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </Section>
      ) : null}

      <Section title="Next">
        <div className="flex flex-wrap items-center gap-3">
          {run.retryable && run.status === "running" ? (
            <p className="text-warn">
              No progress since <RelativeTime iso={run.updatedAt} />: the sweep dispatches it again by itself, or retry it now.
            </p>
          ) : null}
          {canRetry ? (
            <RetryButton
              key={run.id}
              runId={run.id}
              retryable={run.retryable}
              live={chipForStatus(run.status) === "pending"}
              updatedAt={run.updatedAt}
            />
          ) : null}
          {!canRetry && run.retryable ? <p className="text-muted">An operator can retry this run.</p> : null}
          {run.links.entityView ? (
            <Link href={run.links.entityView} className="text-accent hover:underline">
              {run.entityType === "creditmemo" ? "Credit memo" : run.entityType === "customer" ? "Customer" : "Invoice"} status →
            </Link>
          ) : null}
          <Link href={run.links.entityRuns} className="text-accent hover:underline">
            All runs for this {run.entityType} →
          </Link>
          {run.links.reconciliation ? (
            <Link href={run.links.reconciliation} className="text-accent hover:underline" data-testid="run-reconciliation-link">
              Its reconciliation row →
            </Link>
          ) : null}
        </div>
      </Section>
    </div>
  );
}

"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionResult } from "@/lib/http/action";
import type { PolicyVersionSummary } from "@/lib/policy/history";
import type { Policy } from "@/lib/policy/schema";
import { settingName, valueName, type ReferenceOptions } from "./value-names";

/**
 * The version history side panel: who saved, when, what changed; any version can be opened to read
 * it in full, and (for editors) loaded into the form as unsaved changes.
 */

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "string" ? v : JSON.stringify(v));

interface Props {
  versions: PolicyVersionSummary[];
  liveVersion: number;
  onClose: () => void;
  loadVersion: (version: number) => Promise<ActionResult<{ settings: Policy }>>;
  /** Put an old version's settings into the form (not saved until Save). Absent for viewers. */
  onRestore?: (settings: Policy, version: number) => void;
  /** reference data, to name ids ("Current Account (1200)") in the diff */
  options: ReferenceOptions;
}

export function HistoryPanel({ versions, liveVersion, onClose, loadVersion, onRestore, options }: Props) {
  const [open, setOpen] = useState<{ version: number; settings: Policy } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const view = (version: number) =>
    start(async () => {
      const r = await loadVersion(version);
      if (!r.ok) setProblem(r.error.message);
      else {
        setProblem(null);
        setOpen({ version, settings: r.data.settings });
      }
    });

  return (
    <aside
      aria-labelledby="history-title"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-md flex-col border-l border-line bg-surface shadow-xl"
    >
      <div className="flex items-center justify-between border-b border-line px-5 py-4">
        <h2 id="history-title" className="text-base font-semibold">
          Version history
        </h2>
        <button type="button" onClick={onClose} className="rounded-md px-2 py-1 text-muted hover:bg-surface-2 hover:text-ink">
          Close
        </button>
      </div>
      <div className="flex-1 overflow-y-auto px-5 py-4">
        {problem ? (
          <Alert tone="error" className="mb-3">
            {problem}
          </Alert>
        ) : null}
        {open ? (
          <div className="space-y-3">
            <button type="button" onClick={() => setOpen(null)} className="text-sm text-accent hover:underline">
              ← All versions
            </button>
            <h3 className="font-semibold">
              Version {open.version}
              {open.version === liveVersion ? " (live)" : ""}
            </h3>
            <dl className="divide-y divide-line rounded-md border border-line">
              {Object.entries(open.settings).map(([k, v]) => (
                <div key={k} className="px-3 py-1.5">
                  <dt className="font-mono text-xs text-muted">{k}</dt>
                  <dd className="break-all font-mono text-xs">{show(v)}</dd>
                </div>
              ))}
            </dl>
            {onRestore && open.version !== liveVersion ? (
              <button
                type="button"
                onClick={() => onRestore(open.settings, open.version)}
                className="text-sm font-medium text-accent hover:underline"
              >
                Load version {open.version} into the form
              </button>
            ) : null}
          </div>
        ) : (
          <ol className="space-y-4" aria-busy={pending}>
            {versions.map((v) => (
              <li key={v.version} className="rounded-md border border-line p-3">
                <div className="flex items-baseline justify-between gap-2">
                  <span className="font-medium">
                    Version {v.version}
                    {v.version === liveVersion ? <span className="ml-2 rounded bg-ok-soft px-1.5 py-0.5 text-xs text-ok">live</span> : null}
                  </span>
                  <RelativeTime iso={v.savedAt} className="text-xs text-muted" />
                </div>
                <div className="text-xs text-muted">{v.savedBy ? `by ${v.savedBy.name ?? v.savedBy.email}` : "Ledger defaults"}</div>
                {v.changes.length ? (
                  <ul className="mt-2 space-y-1">
                    {v.changes.map((c) => (
                      <li key={c.key} className="text-xs" data-change={c.key}>
                        <span className="font-medium text-ink">{settingName(c.key)}</span>:{" "}
                        <span className="text-muted line-through">{valueName(c.key, c.before, options)}</span> →{" "}
                        <span>{valueName(c.key, c.after, options)}</span> <code className="break-all text-[10px] text-muted">{c.key}</code>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <button type="button" onClick={() => view(v.version)} className="mt-2 text-xs font-medium text-accent hover:underline">
                  View version {v.version}
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
    </aside>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionResult } from "@/lib/http/action";
import type { PolicyVersionSummary } from "@/lib/policy/history";
import type { Policy } from "@/lib/policy/schema";
import type { CardProps } from "./card-props";
import { B2cCard, CommercialCard, MultiCurrencyCard } from "./cards-documents";
import { DefaultMappingsCard, PaymentMethodsCard, SyncBehaviourCard, TaxRatesCard } from "./cards-mapping";
import { sameSettings, toDraft, toSettings, type Draft } from "./draft";
import { HistoryPanel } from "./history-panel";

/**
 * The settings page's client half: the seven cards in one scrolling page, a sticky bar with the
 * unsaved-changes dot, reference-data age with Refresh, Revert, Save and the version history. All
 * checking happens on the server at Save; its field errors are shown under each field.
 */

/** What Save answers with (the new version, or the field errors), in the one action result. */
export type Saved = { version: number; unchanged: boolean; changed: string[] };

export interface SettingsEditorProps {
  bindingId: string;
  version: number;
  policy: Policy;
  methods: { code: string; label: string | null }[] | null;
  options: CardProps["options"];
  plan: CardProps["plan"];
  reference: { fetchedAt: string | null; problem: string | null };
  /** null: the viewer may not edit (with the reason shown instead of Save) */
  readOnlyReason: string | null;
  versions: PolicyVersionSummary[];
  save: (input: { bindingId: string; baseVersion: number; settings: Record<string, unknown> }) => Promise<ActionResult<Saved>>;
  refresh: (input: { bindingId: string }) => Promise<ActionResult<string>>;
  loadVersion: (input: { bindingId: string; version: number }) => Promise<ActionResult<{ settings: Policy }>>;
}

export function SettingsEditor(props: SettingsEditorProps) {
  const router = useRouter();
  const [baseline, setBaseline] = useState<Draft>(() => toDraft(props.policy, props.methods));
  const [draft, setDraft] = useState<Draft>(baseline);
  const [baseVersion, setBaseVersion] = useState(props.version);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [saving, startSave] = useTransition();
  const [refreshing, startRefresh] = useTransition();

  const readOnly = props.readOnlyReason !== null;
  const dirty = useMemo(() => !sameSettings(draft, baseline), [draft, baseline]);
  const errorCount = Object.keys(fields).length;

  const cardProps: CardProps = {
    draft,
    update: (patch) => setDraft((d) => ({ ...d, ...patch })),
    err: (key) => fields[key],
    disabled: readOnly || saving,
    options: props.options,
    plan: props.plan,
    methodsLive: props.methods !== null,
  };

  const onSave = () =>
    startSave(async () => {
      const r = await props.save({ bindingId: props.bindingId, baseVersion, settings: toSettings(draft) });
      if (r.ok) {
        setFields({});
        setBaseline(draft);
        setBaseVersion(r.data.version);
        setNotice({
          tone: "ok",
          text: r.data.unchanged ? "Nothing changed — no new version." : `Saved as version ${r.data.version}. Applies from the next event.`,
        });
        router.refresh();
      } else {
        setFields(r.error.fields ?? {});
        setNotice({ tone: "bad", text: r.error.message });
      }
    });

  const onRefresh = () =>
    startRefresh(async () => {
      const r = await props.refresh({ bindingId: props.bindingId });
      setNotice({ tone: r.ok ? "ok" : "bad", text: r.ok ? r.data : r.error.message });
      if (r.ok) router.refresh();
    });

  return (
    <div className="space-y-6">
      <div
        className="sticky top-0 z-30 -mx-2 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-b-lg border-b border-line bg-canvas/95 px-2 py-3 backdrop-blur"
        role="region"
        aria-label="Save bar"
      >
        <span className="inline-flex items-center gap-2 text-sm" aria-live="polite">
          <span className={`h-2 w-2 rounded-full ${dirty ? "bg-warn" : "bg-line"}`} aria-hidden />
          {dirty ? "Unsaved changes" : `Version ${baseVersion}`}
        </span>
        <span className="text-xs text-muted">
          {props.reference.fetchedAt ? (
            <>
              Sage data updated <RelativeTime iso={props.reference.fetchedAt} />
            </>
          ) : (
            "No Sage reference data yet"
          )}
          {!readOnly ? (
            <>
              {" · "}
              <button
                type="button"
                onClick={onRefresh}
                disabled={refreshing}
                className="font-medium text-accent hover:underline disabled:opacity-50"
              >
                {refreshing ? "Refreshing reference data from Sage…" : "Refresh"}
              </button>
            </>
          ) : null}
        </span>
        <div className="ml-auto flex items-center gap-2">
          <button type="button" onClick={() => setHistoryOpen(true)} className={buttonClass("ghost")}>
            History
          </button>
          {readOnly ? (
            <span className="text-xs text-muted">{props.readOnlyReason}</span>
          ) : (
            <>
              <button
                type="button"
                onClick={() => {
                  setDraft(baseline);
                  setFields({});
                  setNotice(null);
                }}
                disabled={!dirty || saving}
                className={buttonClass("secondary")}
              >
                Revert
              </button>
              {/* Said where the eye is, beside the button (issue 17); the full notice stays above the cards. */}
              {notice && !saving ? (
                <span data-testid="save-status" className={`text-xs ${notice.tone === "ok" ? "text-ok" : "text-bad"}`}>
                  {notice.tone === "ok" ? (dirty ? "" : notice.text.startsWith("Nothing") ? "No changes" : "Saved ✓") : "Not saved"}
                </span>
              ) : null}
              <button type="button" onClick={onSave} disabled={saving} className={buttonClass("primary")}>
                {saving ? "Saving…" : "Save"}
              </button>
            </>
          )}
        </div>
      </div>

      {notice ? (
        <Alert tone={notice.tone === "ok" ? "success" : "error"}>
          {notice.text}
          {notice.tone === "bad" && errorCount ? " Each problem is shown in red under its field." : ""}
        </Alert>
      ) : null}
      {props.reference.problem ? <Alert tone="warning">{props.reference.problem}</Alert> : null}

      <SyncBehaviourCard {...cardProps} />
      <DefaultMappingsCard {...cardProps} />
      <PaymentMethodsCard {...cardProps} />
      <TaxRatesCard {...cardProps} />
      <CommercialCard {...cardProps} />
      <MultiCurrencyCard {...cardProps} />
      <B2cCard {...cardProps} />

      {historyOpen ? (
        <HistoryPanel
          versions={props.versions}
          liveVersion={baseVersion}
          options={props.options}
          onClose={() => setHistoryOpen(false)}
          loadVersion={(version) => props.loadVersion({ bindingId: props.bindingId, version })}
          onRestore={
            readOnly
              ? undefined
              : (settings, version) => {
                  setDraft(toDraft(settings, props.methods));
                  setHistoryOpen(false);
                  setNotice({ tone: "ok", text: `Version ${version} loaded into the form — Save to make it live.` });
                }
          }
        />
      ) : null}
    </div>
  );
}

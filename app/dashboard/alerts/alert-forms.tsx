"use client";

import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionState } from "@/lib/http/action";
import { removeWebhookAction, rotateWebhookSecretAction, savePreferencesAction, sendTestAlertAction, setWebhookAction } from "./actions";

/** The Alerts page's forms; each shows its own outcome next to its button. */

function Outcome({ state }: { state: ActionState<string> }) {
  if (!state) return null;
  return state.ok ? (
    <Alert tone="success" inline className="text-sm">
      {state.data}
    </Alert>
  ) : (
    <Alert tone="error" inline className="text-sm">
      {state.error.message}
    </Alert>
  );
}

export interface KindRow {
  kind: string;
  title: string;
  meaning: string;
  on: boolean;
}

export function PreferencesForm({ tenantId, kinds }: { tenantId: string; kinds: KindRow[] }) {
  const { state, action, pending } = useAction(savePreferencesAction);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="tenantId" value={tenantId} />
      <fieldset className="space-y-3">
        <legend className="sr-only">Alert kinds emailed to you</legend>
        {kinds.map((k) => (
          <label key={k.kind} className="flex items-start gap-3">
            <input type="checkbox" name="kinds" value={k.kind} defaultChecked={k.on} className="mt-1 h-4 w-4 accent-accent" />
            <span>
              <span className="block font-medium">{k.title}</span>
              <span className="block text-sm text-muted">{k.meaning}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Saving…" : "Save my alerts"}
        </button>
        <Outcome state={state} />
      </div>
    </form>
  );
}

type SecretResult = ActionState<{ message: string; secret: string | null }>;

function SecretOutcome({ state }: { state: SecretResult }) {
  if (!state) return null;
  if (!state.ok)
    return (
      <Alert tone="error" inline className="text-sm">
        {state.error.message}
      </Alert>
    );
  return (
    <Alert tone="success" className="space-y-2">
      <p>{state.data.message}</p>
      {state.data.secret ? (
        <input
          readOnly
          aria-label="Signing secret"
          value={state.data.secret}
          onFocus={(e) => e.currentTarget.select()}
          className="w-full rounded-md border border-line bg-surface px-3 py-2 font-mono text-xs text-ink"
        />
      ) : null}
    </Alert>
  );
}

export function WebhookForms({ tenantId, current }: { tenantId: string; current: string | null }) {
  const set = useAction(setWebhookAction);
  const rotate = useAction(rotateWebhookSecretAction);
  const remove = useAction(removeWebhookAction);
  return (
    <div className="space-y-4">
      <form action={set.action} className="grid items-end gap-3 sm:grid-cols-[1fr_auto]">
        <input type="hidden" name="tenantId" value={tenantId} />
        <Field
          label="Webhook URL"
          name="url"
          type="url"
          required
          placeholder="https://hooks.slack.com/services/…"
          defaultValue={set.value("url") ?? current ?? ""}
          error={set.field("url")}
        />
        <button type="submit" disabled={set.pending} className={buttonClass("primary")}>
          {set.pending ? "Saving…" : current ? "Change URL" : "Set webhook"}
        </button>
      </form>
      {set.error && !set.hasFields ? <Alert tone="error">{set.error.message}</Alert> : null}
      {set.state?.ok ? <SecretOutcome state={set.state} /> : null}
      {current ? (
        <div className="flex flex-wrap items-center gap-3">
          <form
            action={rotate.action}
            onSubmit={(e) => {
              if (!window.confirm("Rotate the signing secret? Receivers must switch to the new one: alerts are signed with it at once."))
                e.preventDefault();
            }}
          >
            <input type="hidden" name="tenantId" value={tenantId} />
            <button type="submit" disabled={rotate.pending} className={buttonClass("secondary")}>
              Rotate secret
            </button>
          </form>
          <form action={remove.action}>
            <input type="hidden" name="tenantId" value={tenantId} />
            <button type="submit" disabled={remove.pending} className={buttonClass("ghost", "text-bad")}>
              Remove webhook
            </button>
          </form>
        </div>
      ) : null}
      <SecretOutcome state={rotate.state} />
      <SecretOutcome state={remove.state} />
    </div>
  );
}

export function SendTestForm({ tenantId }: { tenantId: string }) {
  const { state, action, pending } = useAction(sendTestAlertAction);
  return (
    <form action={action} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="tenantId" value={tenantId} />
      <button type="submit" disabled={pending} className={buttonClass("secondary")}>
        {pending ? "Sending…" : "Send test"}
      </button>
      <Outcome state={state} />
    </form>
  );
}

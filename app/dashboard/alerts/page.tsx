import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { RelativeTime } from "@/components/ui/relative-time";
import { emailEnabled } from "@/lib/notifications/channels";
import { ALERT_KINDS, KIND_INFO } from "@/lib/alerts/kinds";
import { preferencesOf } from "@/lib/notifications/preferences";
import { webhookOf } from "@/lib/notifications/webhook";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { PreferencesForm, SendTestForm, WebhookForms } from "./alert-forms";

export const metadata: Metadata = { title: "Alerts" };

const PATH = "/dashboard/alerts";

/**
 * Alerts settings: each member picks the kinds they are emailed about; owners set the workspace
 * webhook (URL and signing secret); anyone sends themselves a test. Digests go out at most once per
 * kind every 15 minutes.
 */
export default async function AlertsPage() {
  const ctx = await requireTenantContext("read", PATH);
  const owner = can(ctx.role, "manageAlertWebhook");
  const [choices, webhook] = await Promise.all([preferencesOf(ctx.tenant.id, ctx.user.id, ctx.role), webhookOf(ctx.tenant.id)]);
  const email = emailEnabled();
  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Alerts</h1>
          <p className="text-muted">
            Ledger tells you when something needs a person: in one digest per kind at most every 15 minutes, with the first few items and a
            link to the rest.
          </p>
        </div>
        <Link href={`${PATH}/log`} className="text-sm text-accent underline-offset-2 hover:underline">
          Alert log
        </Link>
      </header>

      <section aria-labelledby="mine-title" className="space-y-4 rounded-xl border border-line bg-surface p-6">
        <div>
          <h2 id="mine-title" className="text-base font-semibold">
            Email me about
          </h2>
          <p className="text-muted">Your own choice, sent to {ctx.user.email}. Other members choose for themselves.</p>
        </div>
        {email ? null : (
          <Alert tone="warning" data-testid="email-off">
            Email is off on this Ledger (no LEDGER_SMTP_URL is set): your choices are kept, and alerts go to the workspace webhook only.
          </Alert>
        )}
        <PreferencesForm tenantId={ctx.tenant.id} kinds={ALERT_KINDS.map((k) => ({ kind: k, ...KIND_INFO[k], on: choices[k] }))} />
      </section>

      <section aria-labelledby="webhook-title" className="space-y-4 rounded-xl border border-line bg-surface p-6">
        <div>
          <h2 id="webhook-title" className="text-base font-semibold">
            Workspace webhook
          </h2>
          <p className="text-muted">
            Every digest of every kind is POSTed as JSON, signed with HMAC-SHA256 in the <code>Ledger-Signature</code> header (
            <code>t=&lt;unix time&gt;,v1=&lt;hex of HMAC(secret, t + &quot;.&quot; + body)&gt;</code>). It carries a Slack-compatible{" "}
            <code>text</code>, so a Slack incoming-webhook URL works as it is.
          </p>
        </div>
        {webhook ? (
          <p className="text-sm">
            {/* A webhook URL often carries its own token (Slack's do): only owners see it whole. */}
            Sending to <span className="font-medium">{owner ? webhook.url : webhook.host}</span>{" "}
            <span className="text-muted">
              · changed <RelativeTime iso={webhook.updatedAt.toISOString()} />
            </span>
          </p>
        ) : (
          <p className="text-sm text-muted">No webhook is set.</p>
        )}
        {owner ? (
          <WebhookForms tenantId={ctx.tenant.id} current={webhook?.url ?? null} />
        ) : (
          <p className="text-sm text-muted">Only owners set the workspace webhook (your role is {ctx.role}).</p>
        )}
      </section>

      <section aria-labelledby="test-title" className="space-y-3 rounded-xl border border-line bg-surface p-6">
        <h2 id="test-title" className="text-base font-semibold">
          Send a test
        </h2>
        <p className="text-muted">
          A test alert to you{owner ? " and to the workspace webhook" : ""}, now, outside the 15-minute batching. The alert log shows
          whether it arrived.
        </p>
        <SendTestForm tenantId={ctx.tenant.id} />
      </section>
    </div>
  );
}

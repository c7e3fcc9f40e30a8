import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { HealthDot } from "@/components/charts/health-dot";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { getBindingDetail, hostOf, type BindingDetail } from "@/lib/bindings/detail";
import { bindingHealthForTenant } from "@/lib/health/bindings";
import { BindingHeader } from "../_components/binding-header";
import { DisconnectDialog } from "./disconnect-dialog";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Binding" };

const MAGENTO_STATUS: Record<string, string> = {
  active: "Connected",
  pending: "Paired, waiting for its first signed call",
  token_revoked: "Magento rejects Ledger's key",
  revoked: "Disconnected",
};
const SAGE_STATUS: Record<string, string> = {
  active: "Connected",
  needs_reconnect: "Needs reconnect",
  revoked: "Disconnected",
  pending_selection: "Waiting for you to pick a business",
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1.5">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const When = ({ iso }: { iso: string | null }) => (iso ? <RelativeTime iso={iso} /> : <span className="text-muted">—</span>);

/** When Ledger's signed ping last got an answer, and what Magento said since if it stopped answering. */
function LastReached({ magento }: { magento: BindingDetail["magento"] }) {
  if (magento.reach === "unknown") return <span className="text-muted">Not pinged yet (every 2 minutes)</span>;
  return (
    <span data-testid="last-reached">
      {magento.lastReachedAt ? <RelativeTime iso={magento.lastReachedAt} /> : <span className="text-muted">Never</span>}
      {magento.reach === "failing" || magento.reach === "unreachable" ? (
        <span className={`block text-xs ${magento.reach === "unreachable" ? "text-bad" : "text-warn"}`}>
          No answer since {magento.unreachableSince ? <RelativeTime iso={magento.unreachableSince} /> : "—"}
          {magento.lastError ? `: ${magento.lastError}` : ""}
        </span>
      ) : null}
    </span>
  );
}

export default async function BindingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ connected?: string; disconnected?: string }>;
}) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const ctx = await requireTenantContext("read", `/dashboard/bindings/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [b, health] = await Promise.all([getBindingDetail(ctx.tenant.id, id), bindingHealthForTenant(ctx.tenant.id)]);
  if (!b) notFound();
  const verdict = health.find((h) => h.bindingId === b.id)?.verdict;
  const sage = b.sage && b.sage.status !== "revoked" && b.sage.status !== "pending_selection" ? b.sage : null;
  const manage = can(ctx.role, "manageConnections");
  const fullyDisconnected = b.status === "revoked" && !sage;

  return (
    <div className="space-y-6">
      <BindingHeader bindingId={b.id} baseUrl={b.magento.baseUrl} sage={sage}>
        {verdict ? <HealthDot verdict={verdict} /> : null}
      </BindingHeader>

      {sp.connected === "sage" ? (
        <Alert tone="success">Sage is connected. Review the settings, then raise an invoice in Magento to see the first sync.</Alert>
      ) : null}
      {sp.disconnected ? (
        <p role="status" className="rounded-md bg-surface-2 px-3 py-2">
          The binding is disconnected. Its history and cross-references are kept.
        </p>
      ) : null}
      {sage?.status === "needs_reconnect" ? (
        <Alert tone="error" className="flex flex-wrap items-center justify-between gap-3 border border-bad/40 px-4 py-3">
          <span>
            Sage needs reconnecting: it stopped accepting Ledger&apos;s sign-in for {sage.businessName}. Syncing is paused; nothing is lost.
          </span>
          {manage ? (
            <Link href={`/dashboard/connect-sage?binding=${b.id}`} className={buttonClass("danger")}>
              Reconnect Sage
            </Link>
          ) : null}
        </Alert>
      ) : null}
      {b.status === "pending_sage" ? (
        <Alert tone="warning" className="flex flex-wrap items-center justify-between gap-3 border border-warn/40 px-4 py-3">
          <span>Sage not connected yet. Magento events wait here until you connect the Sage business they should post to.</span>
          {manage ? (
            <Link href={`/dashboard/connect-sage?binding=${b.id}`} className={buttonClass("primary")}>
              Connect Sage
            </Link>
          ) : null}
        </Alert>
      ) : null}
      {(b.magento.reach === "unreachable" || b.magento.reach === "failing") &&
      b.magento.status !== "token_revoked" &&
      b.magento.status !== "revoked" ? (
        <Alert tone={b.magento.reach === "unreachable" ? "error" : "warning"} role="alert">
          Ledger cannot reach {hostOf(b.magento.baseUrl)}: Magento has not answered since{" "}
          {b.magento.unreachableSince ? <RelativeTime iso={b.magento.unreachableSince} /> : "the last ping"}
          {b.magento.lastError ? <> ({b.magento.lastError})</> : null}. Events wait in Magento&apos;s outbox meanwhile; check that the store
          is up and answers HTTPS requests from Ledger.
        </Alert>
      ) : null}
      {b.magento.status === "token_revoked" ? (
        <Alert tone="error">
          Magento rejected Ledger&apos;s key on the last signed call. Generate a new pairing code in Magento (Stores → Configuration →
          Byte8) and pair the store again.
        </Alert>
      ) : null}

      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="magento-title" className="rounded-xl border border-line bg-surface p-5">
          <h2 id="magento-title" className="font-semibold">
            Magento store
          </h2>
          <dl className="mt-3">
            <Row label="Base URL">
              <span className="font-mono text-xs">{b.magento.baseUrl}</span>
            </Row>
            <Row label="Connection">{MAGENTO_STATUS[b.magento.status] ?? b.magento.status}</Row>
            <Row label="Paired">
              <When iso={b.magento.pairedAt} />
            </Row>
            <Row label="Last reached">
              <LastReached magento={b.magento} />
            </Row>
          </dl>
        </section>
        <section aria-labelledby="sage-title" className="rounded-xl border border-line bg-surface p-5">
          <h2 id="sage-title" className="font-semibold">
            Sage business
          </h2>
          <dl className="mt-3">
            <Row label="Business">{b.sage?.businessName || <span className="text-muted">Not connected</span>}</Row>
            <Row label="Region">{b.sage ? b.sage.region.toUpperCase() : "—"}</Row>
            <Row label="Connection">{b.sage ? (SAGE_STATUS[b.sage.status] ?? b.sage.status) : "Not connected"}</Row>
            <Row label="Reference data">
              {b.referenceFetchedAt ? (
                <>
                  Updated <RelativeTime iso={b.referenceFetchedAt} />
                </>
              ) : (
                <span className="text-muted">Not fetched yet</span>
              )}
            </Row>
          </dl>
        </section>
      </div>

      <div className="flex flex-wrap gap-2">
        <Link href={`/dashboard/bindings/${b.id}/settings`} className={buttonClass("secondary")}>
          Settings
        </Link>
        <Link href={`/dashboard/sync?binding=${b.id}`} className={buttonClass("secondary")}>
          Sync history
        </Link>
      </div>
      <p className="text-xs text-muted">
        Created <RelativeTime iso={b.createdAt} />
        {b.revokedAt ? (
          <>
            {" "}
            · disconnected <RelativeTime iso={b.revokedAt} />
          </>
        ) : null}
      </p>

      {can(ctx.role, "manageBindings") && !fullyDisconnected ? (
        <section aria-labelledby="danger-title" className="space-y-3 rounded-xl border border-bad/30 bg-surface p-5">
          <h2 id="danger-title" className="font-semibold">
            Disconnect
          </h2>
          <p className="text-muted">Stops syncing this store to Sage and removes Ledger&apos;s credentials at both ends. History stays.</p>
          <DisconnectDialog bindingId={b.id} store={hostOf(b.magento.baseUrl)} business={b.sage?.businessName || null} kept={b.kept} />
        </section>
      ) : null}
    </div>
  );
}

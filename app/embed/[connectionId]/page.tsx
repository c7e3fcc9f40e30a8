import type { Metadata } from "next";
import { cookies } from "next/headers";
import { LiveRefresh } from "@/app/dashboard/sync/live-refresh";
import { StatusChip } from "@/components/status-chip";
import { RelativeTime } from "@/components/ui/relative-time";
import { findEmbedConnection, recentRunsForConnection, type EmbedConnection } from "@/lib/bindings/embed";
import { env } from "@/lib/env";
import { runUrl } from "@/lib/history/links";
import { EMBED_COOKIE, embedViewer } from "@/lib/members/embed-session";
import { chipForStatus } from "@/lib/status-views/vocabulary";
import { embedSignOutAction } from "./actions";
import { EmbedSignInForm } from "./sign-in-form";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";

/**
 * The compact, read-only history Magento's admin shows in an iframe (wire-protocol §10). proxy.ts sets
 * its Content-Security-Policy (frame-ancestors = the paired store's origin); the viewer signs in here.
 */

export const metadata: Metadata = { title: "Sage sync", referrer: "no-referrer" };

const EVENT_LABEL: Record<string, string> = {
  "invoice.created": "Invoice",
  "invoice.paid": "Payment",
  "creditmemo.created": "Credit memo",
  "customer.upserted": "Customer",
  "product.upserted": "Product",
};

function Frame({ children }: { children: React.ReactNode }) {
  return <main className="mx-auto max-w-4xl space-y-4 p-4">{children}</main>;
}

function Notice({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <Frame>
      <section className="space-y-2 rounded-xl border border-line bg-surface p-6">
        <div className="text-xs font-semibold uppercase tracking-wider text-accent">Ledger</div>
        <h1 className="text-lg font-semibold">{title}</h1>
        {children}
      </section>
    </Frame>
  );
}

export default async function EmbedPage({ params }: { params: Promise<{ connectionId: string }> }) {
  const { connectionId } = await params;
  const connection = await findEmbedConnection(connectionId);
  if (!connection)
    return (
      <Notice title="This store is not connected to Ledger">
        {<p className="text-muted">Pair it from Stores → Configuration → Byte8.</p>}
      </Notice>
    );
  if (connection.status === "revoked") {
    return (
      <Notice title="Magento disconnected — re-pair required">
        <p className="text-muted">
          This store was disconnected from Ledger. Generate a new pairing code in Stores → Configuration → Byte8 and pair it again; the sync
          history is kept.
        </p>
      </Notice>
    );
  }
  const viewer = await embedViewer((await cookies()).get(EMBED_COOKIE)?.value, connection);
  if (!viewer) {
    return (
      <Frame>
        <section className="mx-auto max-w-sm space-y-4 rounded-xl border border-line bg-surface p-6">
          <div className="space-y-1">
            <div className="text-xs font-semibold uppercase tracking-wider text-accent">Ledger</div>
            <h1 className="text-lg font-semibold">Sign in to see Sage sync</h1>
            <p className="text-muted">Use your Ledger account; you must be a member of this store&apos;s workspace.</p>
          </div>
          <EmbedSignInForm connectionId={connection.id} />
        </section>
      </Frame>
    );
  }
  return <RunsView connection={connection} viewer={viewer.name ?? viewer.email} />;
}

async function RunsView({ connection, viewer }: { connection: EmbedConnection; viewer: string }) {
  const runs = await recentRunsForConnection(connection);
  const base = env().LEDGER_BASE_URL;
  return (
    <Frame>
      <LiveRefresh everyMs={10_000} />
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-lg font-semibold">Recent syncs to Sage</h1>
        <div className="flex items-center gap-3 text-xs text-muted">
          <span>{viewer}</span>
          <a href={`${base}/dashboard/sync`} target="_blank" rel="noreferrer" className="font-medium text-accent hover:underline">
            Open the full dashboard ↗
          </a>
          <form action={embedSignOutAction}>
            <input type="hidden" name="connectionId" value={connection.id} />
            <button type="submit" className="hover:text-ink hover:underline">
              Sign out
            </button>
          </form>
        </div>
      </header>
      {connection.status === "token_revoked" ? (
        <Alert tone="error">Ledger&apos;s key is rejected by this store: re-pair it in Stores → Configuration → Byte8.</Alert>
      ) : null}
      {runs.length === 0 ? (
        <EmptyState title="No syncs yet">New invoices, credit memos and customers appear here within a minute.</EmptyState>
      ) : (
        <table className="w-full overflow-hidden rounded-xl border border-line bg-surface text-left">
          <thead className="border-b border-line text-xs text-muted">
            <tr>
              <th className="px-3 py-2 font-medium">When</th>
              <th className="px-3 py-2 font-medium">Document</th>
              <th className="px-3 py-2 font-medium">Status</th>
              <th className="px-3 py-2 font-medium">Sage reference</th>
              <th className="px-3 py-2 font-medium">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {runs.map((r) => (
              <tr key={r.id}>
                <td className="whitespace-nowrap px-3 py-2 text-muted">
                  <RelativeTime iso={r.createdAt.toISOString()} />
                </td>
                <td className="px-3 py-2">
                  {EVENT_LABEL[r.event] ?? r.event}{" "}
                  <span className="font-mono text-xs text-muted">#{r.magentoIncrementId ?? r.magentoEntityId}</span>
                </td>
                <td className="px-3 py-2">
                  <StatusChip
                    variant={chipForStatus(r.status)}
                    reference={r.providerReference}
                    sageId={r.providerEntityId}
                    since={r.createdAt.toISOString()}
                    reasonCode={r.reasonCode}
                    errorClass={r.errorClass}
                    message={r.errorMessage}
                  />
                </td>
                <td className="px-3 py-2 font-mono text-xs">{r.providerReference ?? "—"}</td>
                <td className="px-3 py-2 text-right">
                  {/* a new tab: the dashboard has its own sign-in and is not meant to be framed */}
                  <a
                    href={`${base}${runUrl(r.id)}`}
                    target="_blank"
                    rel="noreferrer"
                    className="text-xs text-accent hover:underline"
                    aria-label={`Details of ${EVENT_LABEL[r.event] ?? r.event} ${r.magentoIncrementId ?? r.magentoEntityId}`}
                  >
                    Details ↗
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Frame>
  );
}

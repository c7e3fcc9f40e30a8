import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { emailEnabled } from "@/lib/notifications/channels";
import { listAlertLog } from "@/lib/notifications/log";
import { requireTenantContext } from "@/lib/auth/context";
import { AlertLogTable } from "./alert-log-table";

export const metadata: Metadata = { title: "Alert log" };

const PATH = "/dashboard/alerts/log";

/** What Ledger sent: each digest to each recipient over each channel, and whether it arrived. */
export default async function AlertLogPage() {
  const ctx = await requireTenantContext("read", PATH);
  const rows = await listAlertLog(ctx.tenant.id);
  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Alert log</h1>
          <p className="text-muted">
            Every alert Ledger sent, to whom and how, and whether it arrived. Failed sends are retried for hours.
          </p>
        </div>
        <Link href="/dashboard/alerts" className="text-sm text-accent underline-offset-2 hover:underline">
          Alert settings
        </Link>
      </header>
      {emailEnabled() ? null : (
        <Alert tone="info">Email is off on this Ledger (no LEDGER_SMTP_URL): email rows say so; webhook alerts still go out.</Alert>
      )}
      {rows.length ? (
        <AlertLogTable rows={rows} />
      ) : (
        <EmptyState
          title="No alerts sent yet"
          action={{ href: "/dashboard/alerts", label: "Choose alerts and send a test", variant: "primary" }}
        >
          When a run fails, Sage needs reconnecting or the books stop matching, the alerts Ledger sends are listed here.
        </EmptyState>
      )}
    </div>
  );
}

import Link from "next/link";
import { HealthDot } from "@/components/charts/health-dot";
import { StackedBarChart, type ChartSeries } from "@/components/charts/stacked-bar-chart";
import { RelativeTime } from "@/components/ui/relative-time";
import type { BindingHealth } from "@/lib/health/bindings";

/** One Home card per binding: health, the tile's numbers, and the last 14 days by outcome. */

const SERIES: ChartSeries[] = [
  { key: "synced", label: "Synced", fill: "fill-ok", swatch: "bg-ok" },
  { key: "skipped", label: "Skipped", fill: "fill-warn", swatch: "bg-warn" },
  { key: "failed", label: "Failed", fill: "fill-bad", swatch: "bg-bad" },
  { key: "pending", label: "Pending", fill: "fill-info", swatch: "bg-info" },
];

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

function Stat({ label, children, href }: { label: string; children: React.ReactNode; href?: string }) {
  const value = <span className="text-lg font-semibold tabular-nums">{children}</span>;
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd>
        {href ? (
          <Link href={href} className="hover:underline">
            {value}
          </Link>
        ) : (
          value
        )}
      </dd>
    </div>
  );
}

/** "Magento last reached 2 min ago", or since when it has stopped answering Ledger's pings. */
function MagentoReached({ reach }: { reach: BindingHealth["health"]["magento"] }) {
  if (reach.status === "unknown") return <p className="text-xs text-muted">Magento not pinged yet</p>;
  if (reach.status === "reachable" && reach.last_reached_at) {
    return (
      <p className="text-xs text-muted">
        Magento last reached <RelativeTime iso={reach.last_reached_at} />
      </p>
    );
  }
  return (
    <p className={`text-xs ${reach.status === "unreachable" ? "text-bad" : "text-warn"}`} data-testid="magento-unreachable">
      Magento not answering since {reach.unreachable_since ? <RelativeTime iso={reach.unreachable_since} /> : "the last ping"}
      {reach.last_reached_at ? (
        <>
          {" "}
          · last reached <RelativeTime iso={reach.last_reached_at} />
        </>
      ) : null}
    </p>
  );
}

export function BindingCard({ title, bindingId, health }: { title: string; bindingId: string; health: BindingHealth }) {
  const { sync } = health.health;
  return (
    <article aria-labelledby={`card-${bindingId}`} className="space-y-4 rounded-xl border border-line bg-surface p-5">
      <div className="flex items-start justify-between gap-3">
        <h2 id={`card-${bindingId}`} className="min-w-0 font-semibold">
          <Link href={`/dashboard/bindings/${bindingId}`} className="hover:underline">
            {title}
          </Link>
        </h2>
        <HealthDot verdict={health.verdict} />
      </div>
      {health.verdict.tone !== "green" ? <p className="text-xs text-muted">{health.verdict.reason}</p> : null}
      <dl className="grid grid-cols-3 gap-3">
        <div>
          <dt className="text-xs text-muted">Last sync</dt>
          <dd className="text-lg font-semibold">
            {health.lastRunAt ? <RelativeTime iso={health.lastRunAt} /> : <span className="text-muted">No syncs yet</span>}
          </dd>
        </div>
        <Stat label="Pending" href={`/dashboard/sync?binding=${bindingId}&status=queued,running,waiting`}>
          {sync.pending_count}
        </Stat>
        <Stat label="Failures 24 h" href={`/dashboard/sync?binding=${bindingId}&status=failed&range=24h`}>
          {sync.failed_24h}
        </Stat>
      </dl>
      <MagentoReached reach={health.health.magento} />
      <StackedBarChart
        id={`chart-${bindingId}`}
        title={`${title}: syncs per day, last 14 days`}
        series={SERIES}
        columns={health.days.map((d) => ({ label: dayLabel(d.day), tick: String(Number(d.day.slice(8))), values: d.counts }))}
        emptyText="No syncs in the last 14 days"
      />
    </article>
  );
}

import { db, type Prisma } from "@/lib/db";
import { rfc3339, tileStatuses, type TileHealth } from "@/lib/magento/health";
import { healthVerdict, SAGE_NEEDS_RECONNECT, type HealthVerdict } from "./rules";

/**
 * The Home page's numbers for every binding of a tenant: the tile-shaped health (counted exactly as
 * lib/magento/health.ts counts for Magento's tile), its verdict, and runs per day by outcome.
 * A handful of grouped queries for the whole tenant, not a query per card.
 */

export const OUTCOMES = ["synced", "skipped", "failed", "pending"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const PENDING_STATUSES = ["queued", "running", "waiting"] as const;
const OUTCOME_OF: Record<string, Outcome> = {
  succeeded: "synced",
  skipped_by_policy: "skipped",
  failed: "failed",
  queued: "pending",
  running: "pending",
  waiting: "pending",
};

export interface DayOutcomes {
  /** UTC day, YYYY-MM-DD */
  day: string;
  counts: Record<Outcome, number>;
}

export interface BindingHealth {
  bindingId: string;
  health: TileHealth;
  verdict: HealthVerdict;
  lastRunAt: string | null;
  days: DayOutcomes[];
}

const REACH_SELECT = { status: true, lastReachedAt: true, lastPingError: true, unreachableSince: true } as const;

type BindingRow = Prisma.BindingGetPayload<{
  select: {
    id: true;
    status: true;
    magentoConnection: { select: typeof REACH_SELECT };
    sageConnection: { select: { region: true; status: true } };
  };
}>;

/** The binding status Magento's tile would be given, with Sage custody's parked state made visible. */
function tileBindingStatus(b: BindingRow): string {
  if (b.status === "pending_sage") return "";
  if (b.status === "active" && b.sageConnection?.status === "needs_reconnect") return SAGE_NEEDS_RECONNECT;
  return b.status;
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last `count` UTC days ending today, oldest first. */
export function lastDays(now: Date, count: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, i) => utcDay(new Date(today - (count - 1 - i) * 86_400_000)));
}

export async function bindingHealthForTenant(tenantId: string, opts: { now?: Date; days?: number } = {}): Promise<BindingHealth[]> {
  const now = opts.now ?? new Date();
  const dayList = lastDays(now, opts.days ?? 14);
  const since24h = new Date(now.getTime() - 24 * 3600_000);
  const chartStart = new Date(`${dayList[0]}T00:00:00.000Z`);

  const bindings = await db().binding.findMany({
    where: { tenantId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      magentoConnection: { select: REACH_SELECT },
      sageConnection: { select: { region: true, status: true } },
    },
  });
  if (bindings.length === 0) return [];
  const ids = bindings.map((b) => b.id);

  const [pending, failed, finished, created, perDay] = await Promise.all([
    db().syncRun.groupBy({
      by: ["bindingId"],
      where: { tenantId, bindingId: { in: ids }, status: { in: [...PENDING_STATUSES] } },
      _count: { _all: true },
    }),
    db().syncRun.groupBy({
      by: ["bindingId"],
      where: {
        tenantId,
        bindingId: { in: ids },
        status: "failed",
        OR: [{ finishedAt: { gte: since24h } }, { finishedAt: null, updatedAt: { gte: since24h } }],
      },
      _count: { _all: true },
    }),
    db().syncRun.groupBy({
      by: ["bindingId"],
      where: { tenantId, bindingId: { in: ids }, finishedAt: { not: null } },
      _max: { finishedAt: true },
    }),
    db().syncRun.groupBy({ by: ["bindingId"], where: { tenantId, bindingId: { in: ids } }, _max: { createdAt: true } }),
    db().$queryRaw<{ binding_id: string; day: string; status: string; n: bigint }[]>`
      SELECT binding_id::text AS binding_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, status::text AS status, count(*) AS n
        FROM sync_runs
       WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${chartStart}
       GROUP BY 1, 2, 3`,
  ]);

  const count = (rows: { bindingId: string; _count: { _all: number } }[], id: string) =>
    rows.find((r) => r.bindingId === id)?._count._all ?? 0;

  return bindings.map((b) => {
    const lastFinished = finished.find((r) => r.bindingId === b.id)?._max.finishedAt ?? null;
    const lastCreated = created.find((r) => r.bindingId === b.id)?._max.createdAt ?? null;
    const lastRun = lastFinished ?? lastCreated;
    const { tenant, bindingStatus, magento } = tileStatuses(b.magentoConnection, tileBindingStatus(b), now);
    const health: TileHealth = {
      tenant,
      binding: { status: bindingStatus, region: b.sageConnection?.region ?? "" },
      sync: { pending_count: count(pending, b.id), failed_24h: count(failed, b.id), last_run_at: lastRun ? rfc3339(lastRun) : null },
      magento,
    };
    const connected = b.magentoConnection.status !== "revoked" && b.status !== "revoked";
    const days = dayList.map((day) => {
      const counts: Record<Outcome, number> = { synced: 0, skipped: 0, failed: 0, pending: 0 };
      for (const r of perDay) if (r.binding_id === b.id && r.day === day) counts[OUTCOME_OF[r.status]] += Number(r.n);
      return { day, counts };
    });
    return { bindingId: b.id, health, verdict: healthVerdict({ connected, health }), lastRunAt: health.sync.last_run_at, days };
  });
}

import { z } from "zod";
import { db, type SyncRun } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { magentoReach, tileStatusesFor, type MagentoReach } from "@/lib/magento/reach";
import { MAX_MAGENTO_ID, MIRROR_ENTITY_TYPES, PROVIDERS } from "./events";
import type { AuthenticatedConnection } from "./request-auth";

/**
 * What the Magento admin reads from Ledger: the dashboard health tile (wire-protocol §4.4) and the
 * per-entity status (§4.1 #3, §12.13). Both are scoped to the authenticated connection only.
 */

const DEFAULT_PROVIDER = "sage_accounting";
const PENDING = ["queued", "running", "waiting"] as const;

export interface TileHealth {
  tenant: { magento_connection_status: string };
  binding: { status: string; region: string };
  sync: { pending_count: number; failed_24h: number; last_run_at: string | null };
  /** Can Ledger reach the store (lib/magento/reach.ts)? Magento's tile ignores this block; Ledger's dashboard reads it. */
  magento: MagentoReach;
}

/**
 * The tile's connection and binding statuses with the store's reachability folded in (see
 * `tileStatusesFor`). Shared by the tile Magento fetches and the dashboard's cards, so both say the same.
 */
export function tileStatuses(
  connection: { status: string; lastReachedAt: Date | null; lastPingError: string | null; unreachableSince: Date | null },
  bindingStatus: string,
  now: Date,
): Pick<TileHealth, "tenant" | "magento"> & { bindingStatus: string } {
  const magento = magentoReach(connection, now);
  const bent = tileStatusesFor(magento.status, { magento_connection_status: connection.status, binding_status: bindingStatus });
  return { tenant: { magento_connection_status: bent.magento_connection_status }, bindingStatus: bent.binding_status, magento };
}

/** RFC 3339 in whole seconds, UTC (`strtotime` and every other parser read it). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The tile's JSON. The binding shown is the provider's newest live binding (else its newest one).
 * A binding still waiting for Sage reports an empty status: the module then shows an amber "Finish
 * setup" rather than the red it shows for any other non-active status.
 */
export async function tileHealth(connection: AuthenticatedConnection, opts: { provider?: string; now?: Date } = {}): Promise<TileHealth> {
  const now = opts.now ?? new Date();
  if (opts.provider !== undefined && !(PROVIDERS as readonly string[]).includes(opts.provider)) {
    throw new AppError("bad_request", `Unknown provider. Known providers: ${PROVIDERS.join(", ")}.`);
  }
  const provider = opts.provider ?? DEFAULT_PROVIDER;
  const bindings = await db().binding.findMany({
    where: { magentoConnectionId: connection.id, provider },
    include: { sageConnection: { select: { region: true, status: true } } },
    orderBy: { createdAt: "desc" },
  });
  const binding = bindings.find((b) => b.status !== "revoked") ?? bindings[0] ?? null;
  if (!binding) {
    const { tenant, bindingStatus, magento } = tileStatuses(connection, "", now);
    return {
      tenant,
      binding: { status: bindingStatus, region: "" },
      sync: { pending_count: 0, failed_24h: 0, last_run_at: null },
      magento,
    };
  }

  const since = new Date(now.getTime() - 24 * 3600_000);
  const [pending, failed, lastFinished, lastCreated] = await Promise.all([
    db().syncRun.count({ where: { bindingId: binding.id, status: { in: [...PENDING] } } }),
    db().syncRun.count({
      where: {
        bindingId: binding.id,
        status: "failed",
        OR: [{ finishedAt: { gte: since } }, { finishedAt: null, updatedAt: { gte: since } }],
      },
    }),
    db().syncRun.findFirst({
      where: { bindingId: binding.id, finishedAt: { not: null } },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
    db().syncRun.findFirst({ where: { bindingId: binding.id }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
  ]);
  const lastRun = lastFinished?.finishedAt ?? lastCreated?.createdAt ?? null;
  const { tenant, bindingStatus, magento } = tileStatuses(
    connection,
    tileBindingStatus(binding.status, binding.sageConnection?.status),
    now,
  );
  return {
    tenant,
    binding: { status: bindingStatus, region: binding.sageConnection?.region ?? "" },
    sync: { pending_count: pending, failed_24h: failed, last_run_at: lastRun ? rfc3339(lastRun) : null },
    magento,
  };
}

export const statusQuerySchema = z.object({
  entity_type: z.enum(MIRROR_ENTITY_TYPES),
  entity_id: z.coerce.number().int().positive().max(MAX_MAGENTO_ID),
  provider: z.string().min(1).max(32).optional(),
});

/** Run status → the mirror's `sync_status` (decisions D3; Magento's own word for in-flight is pending). */
/**
 * What the tile reads as `binding.status`: "" while Sage is not connected (amber "Finish setup"), and
 * `needs_reconnect` when Sage refused our refresh token — anything but "active" turns the tile red, which
 * is what the merchant must see: nothing reaches Sage until they reconnect.
 */
function tileBindingStatus(status: string, sageStatus: string | undefined): string {
  if (status === "pending_sage") return "";
  if (status === "active" && sageStatus === "needs_reconnect") return "needs_reconnect";
  return status;
}

function mirrorStatus(status: SyncRun["status"]): "pending" | "synced" | "skipped" | "failed" {
  if (status === "succeeded") return "synced";
  if (status === "skipped_by_policy") return "skipped";
  if (status === "failed") return "failed";
  return "pending";
}

export interface EntityStatus {
  entity_type: string;
  magento_entity_id: number;
  provider: string;
  sync_status: "pending" | "synced" | "skipped" | "failed";
  provider_entity_id: string | null;
  provider_reference: string | null;
  skip_reason: string | null;
  error_code: string | null;
  last_sync_at: string;
  sync_run_id: string;
  run_status: SyncRun["status"];
}

/** The latest run's mirror-like fields for one entity; 404 when Ledger never saw it. */
export async function entityStatus(connection: AuthenticatedConnection, query: URLSearchParams): Promise<EntityStatus> {
  const parsed = statusQuerySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) {
    throw new AppError("bad_request", `Expected entity_type (${MIRROR_ENTITY_TYPES.join(", ")}) and a positive entity_id.`);
  }
  const { entity_type, entity_id, provider } = parsed.data;
  const run = await db().syncRun.findFirst({
    where: {
      binding: { magentoConnectionId: connection.id },
      entityType: entity_type,
      magentoEntityId: entity_id,
      ...(provider ? { provider } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!run) throw new AppError("not_found", `Ledger has no sync recorded for ${entity_type} ${entity_id}.`);
  return {
    entity_type,
    magento_entity_id: entity_id,
    provider: run.provider,
    sync_status: mirrorStatus(run.status),
    provider_entity_id: run.providerEntityId,
    provider_reference: run.providerReference,
    skip_reason: run.status === "skipped_by_policy" ? run.reasonCode : null,
    error_code: run.status === "failed" ? run.errorClass : null,
    last_sync_at: rfc3339(run.finishedAt ?? run.updatedAt),
    sync_run_id: run.id,
    run_status: run.status,
  };
}

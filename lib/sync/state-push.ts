import { db } from "@/lib/db";
import { magentoClientForConnection } from "@/lib/magento/client-for";
import type { SyncStatePush } from "@/lib/magento/sync-state";
import { chipForStatus, invoiceChipRun, type RunStatusName } from "@/lib/status-views/vocabulary";
import { findXref, type XrefScope } from "./xref";

/**
 * What a settled run pushes to Magento's sync-state mirror (decisions D3, D4; wire-protocol §9).
 *
 * - succeeded → synced, skipped_by_policy → skipped, failed → failed (`chipForStatus`); nothing for
 *   live runs (Magento already shows pending).
 * - The mirror row of an invoice is shared by invoice.created and invoice.paid and every callback
 *   overwrites all columns, so a payment run pushes the invoice's chip by D4's one rule
 *   (`invoiceChipRun`): a failed payment pushes `failed` (with the invoice's Sage id kept, never
 *   wiped); otherwise the invoice's OWN state is pushed again — synced when Sage holds it, else its
 *   latest settled run. With no invoice state at all the payment's own skip is pushed, since Magento's
 *   mirror has no "no sync" value.
 * - `provider_reference` is always Sage's `displayed_as` (SI-27, CN-5).
 */

type RunForPush = {
  id: string;
  bindingId: string;
  event: string;
  entityType: string;
  /** bigint as stored (Magento's int unsigned) */
  magentoEntityId: number | bigint;
  status: string;
  reasonCode: string | null;
  errorClass: string | null;
  providerEntityId: string | null;
  providerReference: string | null;
  provider: string;
  finishedAt: Date | null;
};

/** The chip pushed for a settled status; live statuses push nothing. */
function settledChip(status: string): "synced" | "skipped" | "failed" | null {
  const chip = chipForStatus(status as RunStatusName);
  return chip === "synced" || chip === "skipped" || chip === "failed" ? chip : null;
}

async function invoiceXref(scope: XrefScope | null, invoiceId: number) {
  return scope ? findXref(scope, "sales_invoice", String(invoiceId)) : null;
}

/** The latest settled invoice.created run of an invoice (what its chip showed before the payment). */
async function latestInvoiceRun(bindingId: string, invoiceId: number) {
  return db().syncRun.findFirst({
    where: {
      bindingId,
      entityType: "invoice",
      event: "invoice.created",
      magentoEntityId: invoiceId,
      status: { in: ["succeeded", "skipped_by_policy", "failed"] },
    },
    orderBy: { createdAt: "desc" },
  });
}

export async function syncStateFor(run: RunForPush, scope: XrefScope | null): Promise<SyncStatePush | null> {
  const status = settledChip(run.status);
  if (!status) return null;
  const entityId = Number(run.magentoEntityId);
  const base = {
    entity_type: run.entityType as SyncStatePush["entity_type"],
    magento_entity_id: entityId,
    provider: run.provider,
    last_sync_at: run.finishedAt ?? new Date(),
  };
  if (run.event === "invoice.paid") {
    const inv = await invoiceXref(scope, entityId);
    // The invoice's own state: in Sage counts as synced whatever its latest run says.
    const own = inv || status === "failed" ? null : await latestInvoiceRun(run.bindingId, entityId);
    const ownStatus: RunStatusName | null = inv ? "succeeded" : ((own?.status as RunStatusName | undefined) ?? null);
    if (invoiceChipRun(ownStatus, run.status as RunStatusName) === "payment") {
      return status === "failed"
        ? {
            ...base,
            sync_status: "failed",
            error_code: run.errorClass,
            provider_entity_id: inv?.sageId,
            provider_reference: inv?.sageReference,
          }
        : { ...base, sync_status: "skipped", skip_reason: run.reasonCode };
    }
    if (inv) return { ...base, sync_status: "synced", provider_entity_id: inv.sageId, provider_reference: inv.sageReference };
    return syncStateFor(own!, scope);
  }
  if (status === "synced")
    return { ...base, sync_status: "synced", provider_entity_id: run.providerEntityId, provider_reference: run.providerReference };
  if (status === "skipped") return { ...base, sync_status: "skipped", skip_reason: run.reasonCode };
  // A failed re-sync of a document already in Sage keeps pointing at it.
  const known = run.entityType === "invoice" ? await invoiceXref(scope, entityId) : null;
  return {
    ...base,
    sync_status: "failed",
    error_code: run.errorClass,
    provider_entity_id: known?.sageId,
    provider_reference: known?.sageReference,
  };
}

/** Push a settled run's state to Magento; returns what was sent (null when there was nothing to push). */
export async function pushRunState(runId: string): Promise<SyncStatePush | null> {
  const run = await db().syncRun.findUnique({
    where: { id: runId },
    include: { binding: { include: { sageConnection: { select: { businessId: true } } } } },
  });
  if (!run) return null;
  const scope: XrefScope | null = run.binding.sageConnection
    ? {
        magentoConnectionId: run.binding.magentoConnectionId,
        sageBusinessId: run.binding.sageConnection.businessId,
        bindingId: run.bindingId,
      }
    : null;
  const push = await syncStateFor(run, scope);
  if (!push) return null;
  const magento = await magentoClientForConnection(run.binding.magentoConnectionId);
  await magento.pushSyncState(push);
  await db().syncRun.update({ where: { id: runId }, data: { syncStatePushedAt: new Date() } });
  return push;
}

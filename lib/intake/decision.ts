/**
 * What a repeated idempotency key means (wire-protocol §12.1, decisions D12). Pure: intake reads the
 * latest run per binding in one statement and asks this function what to do with each.
 *
 * Idempotency keys are per entity, not per change, and Magento re-sends them on every transient
 * retry, from its resync CLI and after outbox GC. Per binding, the latest run for the key decides:
 * live (queued/running/waiting) or succeeded → the repeat answers the original `sync_run_id`;
 * failed/skipped (or no run yet, e.g. a binding added since) → a new run in a new receipt generation.
 * A succeeded invoice, payment or credit-memo key is only re-done when the body changed and the
 * receipt is older than a day. Upserts are never dropped (D12): a customer or product body that
 * differs from the one behind the latest run starts a new run whatever its age, once no run for the
 * key is live.
 */

const REPROCESS_SUCCEEDED_AFTER_MS = 24 * 3600_000;
const LIVE = new Set(["queued", "running", "waiting"]);
/** Keys whose every save must reach Sage (D12): an edit re-uses the entity's key with a new body. */
const UPSERT_EVENTS: ReadonlySet<string> = new Set(["customer.upserted", "product.upserted"]);
/** A run that has not moved for this long is presumed lost: it no longer holds back newer saves. */
const UPSERT_STALE_RUNNING_MS = 3600_000;
/** How soon Magento should retry an upsert that arrived while the key's run was mid-flight. */
export const UPSERT_BUSY_RETRY_SECONDS = 60;

export type LatestRun = { status: string; updatedAt: Date; receipt: { bodySha256: string; createdAt: Date } | null };

/**
 * What a delivery means for one binding, given the latest run for its key there:
 * - `duplicate`: answer the original sync_run_id, start nothing;
 * - `new_run`: a new run in a new receipt generation;
 * - `busy` (upserts only): a changed body while that run is already reading Magento — it may have
 *   read the old state, and a second run alongside it could post stock or contact changes out of
 *   order, so the delivery is refused as transient (503) and Magento retries after it settles. A
 *   queued or waiting run has not read Magento yet and will pick the change up itself. A run that has
 *   not moved for an hour (every attempt touches it) is presumed lost and no longer blocks the save,
 *   which would otherwise bounce until Magento dead-letters it.
 */
export function repeatDecision(
  event: string,
  last: LatestRun | undefined,
  bodySha256: string,
  now: Date,
): "duplicate" | "new_run" | "busy" {
  if (!last) return "new_run";
  const changed = last.receipt?.bodySha256 !== bodySha256;
  if (UPSERT_EVENTS.has(event)) {
    if (last.status === "running" && changed)
      return now.getTime() - last.updatedAt.getTime() > UPSERT_STALE_RUNNING_MS ? "new_run" : "busy";
    if (LIVE.has(last.status)) return "duplicate";
    if (last.status === "succeeded") return changed ? "new_run" : "duplicate";
    return "new_run"; // failed or skipped_by_policy: a repeat is a resync (§12.1)
  }
  if (LIVE.has(last.status)) return "duplicate";
  if (last.status === "succeeded") {
    const stale = !last.receipt || now.getTime() - last.receipt.createdAt.getTime() > REPROCESS_SUCCEEDED_AFTER_MS;
    return stale && changed ? "new_run" : "duplicate";
  }
  return "new_run"; // failed or skipped_by_policy: a repeat is a resync (§12.1)
}

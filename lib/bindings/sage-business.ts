import { z } from "zod";
import { db, type SageConnection } from "@/lib/db";
import { SageConnectError } from "@/lib/sage/connect-errors";
import { businessChoiceSchema, discardPending, lockBinding, type BusinessChoice, type LockResult } from "./lock-sage";

/**
 * The business-selection step of Connect Sage: the Sage user has several businesses, the tokens
 * wait encrypted on a `pending_selection` connection, and only the Ledger user who signed in to
 * Sage — in the same tenant — may pick one. Abandoned selections are revoked and deleted.
 */

export const SELECTION_TTL_MS = 30 * 60_000;

export type BusinessSelection = {
  selectionId: string;
  bindingId: string;
  businesses: BusinessChoice[];
  expiresAt: Date;
};

type Who = { selectionId: string; userId: string; tenantId: string };

/** The pending row, if it is this user's and still open; expired ones are discarded on sight. */
async function openSelection({ selectionId, userId, tenantId }: Who): Promise<{ row: SageConnection; selection: BusinessSelection }> {
  const row = z.uuid().safeParse(selectionId).success
    ? await db().sageConnection.findFirst({ where: { id: selectionId, tenantId, status: "pending_selection" } })
    : null;
  if (!row || !row.pendingBindingId || !row.selectionExpiresAt) throw new SageConnectError("selection_invalid");
  const bindingId = row.pendingBindingId;
  if (row.connectedById !== userId) throw new SageConnectError("wrong_user", { bindingId });
  if (row.selectionExpiresAt.getTime() <= Date.now()) {
    await discardPending(row);
    throw new SageConnectError("selection_expired", { bindingId });
  }
  const businesses = z.array(businessChoiceSchema).safeParse(row.businessChoices);
  if (!businesses.success) throw new SageConnectError("selection_invalid", { bindingId });
  return { row, selection: { selectionId: row.id, bindingId, businesses: businesses.data, expiresAt: row.selectionExpiresAt } };
}

export async function getBusinessSelection(who: Who): Promise<BusinessSelection> {
  return (await openSelection(who)).selection;
}

/** Locks the binding to the picked business with the waiting tokens. */
export async function chooseSageBusiness(who: Who & { businessId: string }): Promise<LockResult> {
  const { selection } = await openSelection(who);
  const business = selection.businesses.find((b) => b.id === who.businessId);
  if (!business) throw new SageConnectError("selection_invalid", { bindingId: selection.bindingId });
  return lockBinding({
    bindingId: selection.bindingId,
    business,
    source: { kind: "pending", connectionId: selection.selectionId },
    actorUserId: who.userId,
  });
}

/** The merchant backed out: revoke the waiting tokens and forget them. */
export async function cancelBusinessSelection(who: Who): Promise<{ bindingId: string }> {
  const { row, selection } = await openSelection(who);
  await discardPending(row);
  return { bindingId: selection.bindingId };
}

/** Revokes and deletes selections nobody finished; run opportunistically and from the token cron. */
export async function expireAbandonedSelections(now = new Date()): Promise<number> {
  const stale = await db().sageConnection.findMany({
    where: { status: "pending_selection", selectionExpiresAt: { lt: now } },
    take: 100,
  });
  for (const row of stale) await discardPending(row);
  return stale.length;
}

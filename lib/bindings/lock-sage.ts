import { randomUUID } from "node:crypto";
import { z } from "zod";
import { audit } from "@/lib/audit";
import { db, Prisma, type Binding, type SageConnection } from "@/lib/db";
import { childLog } from "@/lib/log";
import { dispatchWaitingRuns } from "@/lib/sync/dispatch";
import { createSageClient, type SageClient } from "@/lib/sage/client";
import { sageEndpointsFromEnv } from "@/lib/sage/config";
import { SageConnectError } from "@/lib/sage/connect-errors";
import { revokeStoredTokens, sageClientForConnection, sealTokenSet } from "@/lib/sage/custody";
import type { SageTokenSet } from "@/lib/sage/oauth";
import { refreshReferenceData } from "@/lib/sage/reference-data";

/**
 * Locking a binding to one Sage business — the last step of Connect Sage, whether the business was
 * obvious (one business, or a reconnect) or picked by the merchant. A binding stays locked to its
 * business while its connection is not revoked (product-spec §1.7): another business means another
 * binding, so xrefs never mix two ledgers.
 */

const lockLog = childLog({ component: "sage.connect" });

export const businessChoiceSchema = z.object({ id: z.string().min(1), name: z.string(), country: z.string().nullable() });
export type BusinessChoice = z.infer<typeof businessChoiceSchema>;

/** The tokens being locked in: straight from the code exchange, or held by a pending-selection row. */
export type TokenSource = { kind: "fresh"; tokens: SageTokenSet } | { kind: "pending"; connectionId: string };

/** Informational only: D8 puts every region on one API host. */
const REGION_BY_COUNTRY: Record<string, string> = { GB: "uk", IE: "ie", US: "na", CA: "na", FR: "fr", ES: "es", DE: "de" };
const regionFor = (country: string) => REGION_BY_COUNTRY[country] ?? country.toLowerCase();

/** The business a binding is locked to, if any: a connection that is not revoked and not still being picked. */
export function lockedConnection(b: Binding & { sageConnection: SageConnection | null }): SageConnection | null {
  const c = b.sageConnection;
  return c && c.status !== "revoked" && c.status !== "pending_selection" ? c : null;
}

/** Ends an unfinished business selection: its tokens are revoked at Sage and the row deleted. */
export async function discardPending(row: SageConnection): Promise<void> {
  await revokeStoredTokens(row);
  await db().sageConnection.deleteMany({ where: { id: row.id, status: "pending_selection" } });
}

function clientFor(source: TokenSource, businessId: string): SageClient {
  if (source.kind === "pending") return sageClientForConnection(source.connectionId, businessId);
  const token = source.tokens.accessToken;
  return createSageClient({ endpoints: sageEndpointsFromEnv(), businessId, getAccessToken: async () => token });
}

async function describeBusiness(source: TokenSource, business: BusinessChoice) {
  try {
    const settings = await clientFor(source, business.id).getFinancialSettings();
    const country = business.country ?? "GB";
    return {
      businessId: business.id,
      businessName: business.name,
      baseCurrency: settings.base_currency.id,
      country,
      region: regionFor(country),
    };
  } catch (e) {
    throw new SageConnectError("sage_unavailable", { cause: e });
  }
}

export type LockResult = { bindingId: string; sageConnectionId: string; reconnected: boolean };

/**
 * Locks `bindingId` to `business` with the given tokens: the binding row is locked first, so two
 * callbacks racing for one binding settle one after the other. Reference data is fetched after
 * commit, best effort (the settings page fetches it again when missing).
 */
export async function lockBinding(args: {
  bindingId: string;
  business: BusinessChoice;
  source: TokenSource;
  actorUserId: string;
}): Promise<LockResult> {
  const { bindingId, business, source, actorUserId } = args;
  const described = await describeBusiness(source, business);
  const now = new Date();
  let replaced: SageConnection | null = null;

  const result = await db().$transaction(async (tx): Promise<LockResult> => {
    await tx.$queryRaw`SELECT id FROM bindings WHERE id = ${bindingId}::uuid FOR UPDATE`;
    const binding = await tx.binding.findUnique({ where: { id: bindingId }, include: { sageConnection: true } });
    if (!binding || binding.status === "revoked") throw new SageConnectError("binding_unavailable", { bindingId });
    const existing = lockedConnection(binding);
    if (existing && existing.businessId !== business.id) throw new SageConnectError("business_locked", { bindingId });
    if (existing && source.kind === "pending") throw new SageConnectError("already_connected", { bindingId });

    const profile = { ...described, connectedById: actorUserId, revokedAt: null };
    let connectionId: string;
    if (existing && source.kind === "fresh") {
      connectionId = existing.id;
      replaced = existing;
      await tx.sageConnection.update({
        where: { id: existing.id },
        data: { ...profile, ...sealTokenSet(existing.id, source.tokens, now), status: "active", tokenVersion: { increment: 1 } },
      });
    } else if (source.kind === "fresh") {
      connectionId = randomUUID();
      await tx.sageConnection.create({
        data: {
          id: connectionId,
          tenantId: binding.tenantId,
          ...profile,
          ...sealTokenSet(connectionId, source.tokens, now),
          status: "active",
          tokenVersion: 1,
        },
      });
    } else {
      connectionId = source.connectionId;
      const claimed = await tx.sageConnection.updateMany({
        where: { id: connectionId, status: "pending_selection", pendingBindingId: bindingId },
        data: { ...profile, status: "active", pendingBindingId: null, businessChoices: Prisma.DbNull, selectionExpiresAt: null },
      });
      if (claimed.count !== 1) throw new SageConnectError("selection_invalid", { bindingId });
    }

    await tx.binding.update({ where: { id: bindingId }, data: { sageConnectionId: connectionId, status: "active", revokedAt: null } });
    await audit(
      {
        tenantId: binding.tenantId,
        actorType: "user",
        actorUserId,
        action: existing ? "sage.reconnected" : "sage.connected",
        targetType: "binding",
        targetId: bindingId,
        data: { sageConnectionId: connectionId, businessId: business.id, businessName: business.name },
      },
      tx,
    );
    return { bindingId, sageConnectionId: connectionId, reconnected: existing !== null };
  });

  // A reconnect replaces a token family that may still be live at Sage: end it.
  if (replaced) await revokeStoredTokens(replaced);
  try {
    await refreshReferenceData(bindingId);
  } catch (e) {
    lockLog.warn({ bindingId, err: e instanceof Error ? e.message : String(e) }, "reference data prefetch after connect failed");
  }
  // Events that arrived while Sage was not connected waited for this moment; a failure here is not
  // fatal (the redispatch sweep picks them up), so the merchant still sees a successful connect.
  try {
    const started = await dispatchWaitingRuns(bindingId);
    if (started) lockLog.info({ bindingId, started }, "started runs that waited for Sage");
  } catch (e) {
    lockLog.warn({ bindingId, err: e instanceof Error ? e.message : String(e) }, "could not start waiting runs yet");
  }
  return result;
}

import { z } from "zod";
import { db } from "@/lib/db";

/**
 * What the embedded view (wire-protocol §10) needs about the Magento connection named in its URL:
 * the id Magento stores as its `tenant_id` (lib/magento/jwt.ts). The id only selects what to show; it
 * never authenticates.
 */

export interface EmbedConnection {
  id: string;
  /** The workspace that owns the connection. */
  tenantId: string;
  baseUrl: string;
  status: "pending" | "active" | "token_revoked" | "revoked";
  /** The origin allowed to frame the view: the paired store's base URL origin; null if unparseable. */
  frameOrigin: string | null;
}

export function originOf(baseUrl: string): string | null {
  try {
    const u = new URL(baseUrl);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

export async function findEmbedConnection(connectionId: string): Promise<EmbedConnection | null> {
  if (!z.uuid().safeParse(connectionId).success) return null;
  const row = await db().magentoConnection.findUnique({
    where: { id: connectionId },
    select: { id: true, tenantId: true, baseUrl: true, status: true },
  });
  return row ? { ...row, frameOrigin: originOf(row.baseUrl) } : null;
}

/**
 * The Content-Security-Policy of every /embed response: only the paired store's origin may frame it,
 * and nothing may frame the view of an unknown connection.
 */
export function embedCsp(connection: EmbedConnection | null): string {
  return `frame-ancestors ${connection?.frameOrigin ?? "'none'"}`;
}

export interface EmbedRun {
  id: string;
  event: string;
  entityType: string;
  magentoEntityId: number;
  magentoIncrementId: string | null;
  status: "queued" | "running" | "waiting" | "succeeded" | "skipped_by_policy" | "failed";
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  providerReference: string | null;
  providerEntityId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The newest runs of the connection's bindings, within its own tenant. */
export async function recentRunsForConnection(connection: { id: string; tenantId: string }, limit = 25): Promise<EmbedRun[]> {
  const runs = await db().syncRun.findMany({
    where: { tenantId: connection.tenantId, binding: { magentoConnectionId: connection.id } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      event: true,
      entityType: true,
      magentoEntityId: true,
      magentoIncrementId: true,
      status: true,
      reasonCode: true,
      errorClass: true,
      errorMessage: true,
      providerReference: true,
      providerEntityId: true,
      createdAt: true,
      finishedAt: true,
    },
  });
  return runs.map((r) => ({ ...r, magentoEntityId: Number(r.magentoEntityId) }));
}

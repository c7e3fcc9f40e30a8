import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";

/**
 * Magento id ↔ Sage id, checked before every create (the long-term dedupe; Sage's idempotency_id only
 * lasts 7 days). Scoped to the Magento install and the Sage business, not the binding, so a binding
 * re-created against the same business reuses everything.
 */

export type XrefType =
  | "contact"
  | "contact_fallback"
  | "sales_invoice"
  | "sales_credit_note"
  | "contact_payment"
  | "contact_allocation"
  | "product"
  | "service"
  | "stock_item";

export interface XrefScope {
  magentoConnectionId: string;
  sageBusinessId: string;
  bindingId: string;
}

export interface Xref {
  sageId: string;
  sageReference: string | null;
  data: Record<string, unknown>;
}

export async function findXref(scope: XrefScope, entityType: XrefType, magentoKey: string, currency = ""): Promise<Xref | null> {
  const row = await db().entityXref.findUnique({
    where: {
      magentoConnectionId_sageBusinessId_entityType_magentoKey_currency: {
        magentoConnectionId: scope.magentoConnectionId,
        sageBusinessId: scope.sageBusinessId,
        entityType,
        magentoKey,
        currency,
      },
    },
  });
  return row ? { sageId: row.sageId, sageReference: row.sageReference, data: (row.data ?? {}) as Record<string, unknown> } : null;
}

/** Every currency variant of one Magento entity (contacts are per currency), oldest first. */
export async function findXrefVariants(
  scope: XrefScope,
  entityType: XrefType,
  magentoKey: string,
): Promise<(Xref & { currency: string })[]> {
  const rows = await db().entityXref.findMany({
    where: { magentoConnectionId: scope.magentoConnectionId, sageBusinessId: scope.sageBusinessId, entityType, magentoKey },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    sageId: r.sageId,
    sageReference: r.sageReference,
    data: (r.data ?? {}) as Record<string, unknown>,
    currency: r.currency,
  }));
}

export async function saveXref(
  scope: XrefScope,
  entityType: XrefType,
  magentoKey: string,
  x: { sageId: string; sageReference?: string | null; data?: Record<string, unknown> },
  currency = "",
): Promise<void> {
  const key = { magentoConnectionId: scope.magentoConnectionId, sageBusinessId: scope.sageBusinessId, entityType, magentoKey, currency };
  const values = {
    sageId: x.sageId,
    sageReference: x.sageReference ?? null,
    data: (x.data ?? {}) as Prisma.InputJsonValue,
    bindingId: scope.bindingId,
  };
  await db().entityXref.upsert({
    where: { magentoConnectionId_sageBusinessId_entityType_magentoKey_currency: key },
    create: { ...key, ...values },
    update: values,
  });
}

/** Stable key for Sage idempotency ids: same document, same id, whichever run or retry posts it. */
export function idempotencyKey(scope: XrefScope, entityType: XrefType, magentoKey: string, ...parts: (string | number)[]): string {
  return [scope.magentoConnectionId, scope.sageBusinessId, entityType, magentoKey, ...parts].join(":");
}

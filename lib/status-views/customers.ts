import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { decodeViewCursor, encodeViewCursor, keysetAfter, keysetOrder, type KeysetColumns } from "./keyset";
import { STATUS_VIEW_PAGE, type StatusViewParams } from "./params";
import { chipForStatus, STATUSES_OF_CHIP, type ChipVariant, type RunStatusName } from "./vocabulary";

/**
 * Customers as Sage sees them: each Magento customer (or guest e-mail) with its Sage contacts, one
 * per currency (EntityXref `contact` rows), and the chip of its latest `customer.upserted` run.
 * A customer appears once it has either a run or a contact; guests only ever have contacts.
 */

export interface SageContactRef {
  currency: string;
  sageId: string;
  reference: string | null;
  displayedAs: string | null;
}

export interface CustomerRow {
  magentoConnectionId: string;
  key: string;
  /** Magento customer id; null for guests (`guest:<hash>` keys) */
  entityId: number | null;
  name: string | null;
  email: string | null;
  chip: ChipVariant;
  runId: string | null;
  status: RunStatusName | null;
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  providerEntityId: string | null;
  providerReference: string | null;
  since: string | null;
  contacts: SageContactRef[];
}

interface Raw {
  magento_connection_id: string;
  key: string;
  summary: Prisma.JsonValue;
  run_id: string | null;
  status: RunStatusName | null;
  reason_code: string | null;
  error_class: string | null;
  error_message: string | null;
  provider_entity_id: string | null;
  provider_reference: string | null;
  since: Date | null;
  contacts: SageContactRef[] | null;
  last_at: Date;
}

function summaryString(o: Prisma.JsonValue, k: string): string | null {
  if (!o || typeof o !== "object" || Array.isArray(o)) return null;
  const v = (o as Record<string, Prisma.JsonValue>)[k];
  return typeof v === "string" ? v : null;
}

/** Newest activity first, then connection and customer key: unique, so keyset pages never overlap. */
const KEYSET: KeysetColumns = {
  value: null,
  type: "timestamptz",
  time: Prisma.raw("last_at"),
  scope: Prisma.raw("magento_connection_id"),
  key: Prisma.raw("key"),
};

export async function listCustomers(
  tenantId: string,
  p: StatusViewParams,
  opts: { limit?: number } = {},
): Promise<{ rows: CustomerRow[]; total: number; nextCursor: string | null }> {
  const limit = opts.limit ?? STATUS_VIEW_PAGE;
  const conds: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (p.entity !== undefined) conds.push(Prisma.sql`key = ${String(p.entity)}`);
  if (p.q) {
    const like = `%${p.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(
      Prisma.sql`(summary->>'name' ILIKE ${like} OR summary->>'email' ILIKE ${like} OR key = ${p.q} OR EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(contacts, '[]'::jsonb)) c WHERE c->>'reference' ILIKE ${like}))`,
    );
  }
  if (p.chip) {
    conds.push(p.chip === "none" ? Prisma.sql`status IS NULL` : Prisma.sql`status IN (${Prisma.join([...STATUSES_OF_CHIP[p.chip]])})`);
  }
  const base = Prisma.sql`
    WITH runs AS (
      SELECT DISTINCT ON (b.magento_connection_id, r.magento_entity_id) b.magento_connection_id, r.magento_entity_id::text AS key,
        r.id AS run_id, r.status::text AS status, r.reason_code, r.error_class, r.error_message, r.provider_entity_id,
        r.provider_reference, r.updated_at AS since, r.created_at, r.entity_summary
      FROM sync_runs r JOIN bindings b ON b.id = r.binding_id AND b.tenant_id = ${tenantId}::uuid
      WHERE r.tenant_id = ${tenantId}::uuid AND r.entity_type = 'customer'
      ORDER BY b.magento_connection_id, r.magento_entity_id, r.created_at DESC, r.id DESC),
    xr AS (
      SELECT x.magento_connection_id, x.magento_key AS key, max(x.updated_at) AS updated_at,
        jsonb_agg(jsonb_build_object('currency', x.currency, 'sageId', x.sage_id, 'reference', x.sage_reference, 'displayedAs', x.data->>'displayedAs') ORDER BY x.currency) AS contacts
      FROM entity_xrefs x JOIN magento_connections m ON m.id = x.magento_connection_id AND m.tenant_id = ${tenantId}::uuid
      WHERE x.entity_type = 'contact' GROUP BY 1, 2),
    c AS (
      SELECT COALESCE(r.magento_connection_id, x.magento_connection_id) AS magento_connection_id, COALESCE(r.key, x.key) AS key,
        r.entity_summary AS summary, r.run_id, r.status, r.reason_code, r.error_class, r.error_message, r.provider_entity_id,
        r.provider_reference, r.since, x.contacts, GREATEST(r.created_at, x.updated_at) AS last_at
      FROM runs r FULL JOIN xr x ON x.magento_connection_id = r.magento_connection_id AND x.key = r.key)`;
  const where = Prisma.join(conds, " AND ");
  const cursor = decodeViewCursor(p.after);
  const after = cursor ? keysetAfter(KEYSET, "desc", cursor) : Prisma.sql`TRUE`;
  const [rows, [{ n }]] = await Promise.all([
    db().$queryRaw<Raw[]>`${base} SELECT * FROM c WHERE ${where} AND ${after} ORDER BY ${keysetOrder(KEYSET, "desc")} LIMIT ${limit + 1}`,
    db().$queryRaw<{ n: number }[]>`${base} SELECT count(*)::int AS n FROM c WHERE ${where}`,
  ]);
  const total = Number(n);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    rows: rows.slice(0, limit).map((r) => {
      const guest = !/^\d+$/.test(r.key);
      const contacts = r.contacts ?? [];
      return {
        magentoConnectionId: r.magento_connection_id,
        key: r.key,
        entityId: guest ? null : Number(r.key),
        name: summaryString(r.summary, "name") ?? contacts[0]?.displayedAs ?? null,
        email: summaryString(r.summary, "email"),
        chip: chipForStatus(r.status),
        runId: r.run_id,
        status: r.status,
        reasonCode: r.reason_code,
        errorClass: r.error_class,
        errorMessage: r.error_message,
        providerEntityId: r.provider_entity_id,
        providerReference: r.provider_reference,
        since: r.since?.toISOString() ?? null,
        contacts,
      };
    }),
    total,
    nextCursor: last ? encodeViewCursor({ v: null, t: last.last_at.toISOString(), b: last.magento_connection_id, k: last.key }) : null,
  };
}

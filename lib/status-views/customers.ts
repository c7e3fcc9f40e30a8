import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { decodeViewCursor, encodeViewCursor, keysetAfter, keysetOrder, type KeysetColumns } from "./keyset";
import { STATUS_VIEW_PAGE, type StatusViewParams } from "./params";
import { COUNT_CAP } from "./counts";
import { type ChipVariant, type RunStatusName } from "./vocabulary";

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
  chip: ChipVariant;
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
    // `search_text` (status_customers) holds the key, the latest run's name and e-mail and every Sage
    // contact's reference and name, lower case, under a trigram index: a customer's key is matched too.
    const like = `%${p.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(Prisma.sql`search_text LIKE lower(${like})`);
  }
  if (p.chip) conds.push(Prisma.sql`chip = ${p.chip}`);
  // One row per customer from `status_customers` (kept by triggers on sync_runs and entity_xrefs in the
  // writers' transactions), with its latest run's details; contacts are read for the page's rows only.
  const base = Prisma.sql`
    WITH c AS (
      SELECT s.magento_connection_id, s.key, s.chip, s.last_at, s.search_text, r.entity_summary AS summary, r.id AS run_id, r.status::text AS status,
        r.reason_code, r.error_class, r.error_message, r.provider_entity_id, r.provider_reference, r.updated_at AS since
      FROM status_customers s LEFT JOIN sync_runs r ON r.id = s.run_id
      WHERE s.tenant_id = ${tenantId}::uuid)`;
  const contactsOf = Prisma.sql`(SELECT jsonb_agg(jsonb_build_object('currency', x.currency, 'sageId', x.sage_id, 'reference', x.sage_reference,
        'displayedAs', x.data->>'displayedAs') ORDER BY x.currency)
      FROM entity_xrefs x WHERE x.magento_connection_id = c.magento_connection_id AND x.entity_type = 'contact' AND x.magento_key = c.key)`;
  const where = Prisma.join(conds, " AND ");
  const cursor = decodeViewCursor(p.after);
  const after = cursor ? keysetAfter(KEYSET, "desc", cursor) : Prisma.sql`TRUE`;
  const order = keysetOrder(KEYSET, "desc");
  const [rows, [{ n }]] = await Promise.all([
    db().$queryRaw<Raw[]>`${base} SELECT c.*, ${contactsOf} AS contacts
      FROM (SELECT * FROM c WHERE ${where} AND ${after} ORDER BY ${order} LIMIT ${limit + 1}) c ORDER BY ${order}`,
    // capped like every count on these pages (counts.ts)
    db().$queryRaw<{ n: number }[]>`${base} SELECT count(*)::int AS n FROM (SELECT 1 FROM c WHERE ${where} LIMIT ${COUNT_CAP + 1}) x`,
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
        chip: r.chip,
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

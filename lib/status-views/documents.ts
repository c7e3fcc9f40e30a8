import { Prisma } from "@/src/generated/prisma/client";
import { documentSearchSql } from "./search";
import { db } from "@/lib/db";
import { COUNT_CAP } from "./counts";
import { decodeViewCursor, encodeViewCursor, keysetAfter, keysetOrder, type KeysetColumns, type ViewCursor } from "./keyset";
import { STATUS_VIEW_PAGE, type StatusViewParams } from "./params";
import { CHIP_VARIANTS, type ChipVariant, type RunStatusName } from "./vocabulary";

/**
 * The Magento-side views: one row per Magento invoice or credit memo, with its chip. The latest run
 * per (binding, document) decides; for invoices, decisions D4 as `invoiceChip`/`invoiceChipRun`
 * (vocabulary.ts) state it: a failed latest payment run shows failed (so the row gets attention),
 * otherwise the invoice's own run decides. The rows are kept by triggers on sync_runs (migration
 * 20261206013000_status_view_rows); chip-rule.int.test.ts runs them over every pair of statuses
 * against those functions.
 */

export type DocumentKind = "invoice" | "creditmemo";

export interface DocumentRow {
  bindingId: string;
  entityId: number;
  incrementId: string | null;
  orderIncrementId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  total: string | null;
  currency: string | null;
  chip: ChipVariant;
  /** the run that decided the chip: the payment run when it failed, else the document's own */
  runId: string | null;
  runEvent: string | null;
  status: RunStatusName | null;
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  providerEntityId: string | null;
  providerReference: string | null;
  since: string | null;
  lastAt: string;
  paymentFailed: boolean;
  /** the latest invoice.paid run's status and skip reason (null: no payment run) */
  paymentStatus: RunStatusName | null;
  paymentReason: string | null;
}

export interface DocumentPage {
  rows: DocumentRow[];
  counts: Record<ChipVariant, number>;
  total: number;
  /** keyset cursor of the next page, null on the last */
  nextCursor: string | null;
}

/**
 * `docs`: one row per document with its chip and the deciding run (`d.*` columns), as a CTE body the
 * list, counts and order roll-up select from. The rows come from `status_documents`, which triggers on
 * sync_runs keep in each run's own transaction (decisions D4 applied there, held to `invoiceChip` by
 * chip-rule.int.test.ts); the display columns are read from the three runs it names.
 */
export function documentsCte(tenantId: string, kind: DocumentKind): Prisma.Sql {
  return Prisma.sql`docs AS (
      SELECT s.binding_id, s.entity_id, s.chip, s.chip_rank, s.payment_failed, s.last_at, s.increment_id, s.customer_sort, s.total_sort,
        s.search_text, s.reference_key,
        r.id AS run_id, r.event AS run_event, r.status::text AS status, r.reason_code, r.error_class, r.error_message,
        r.provider_entity_id, r.provider_reference, r.updated_at AS since,
        COALESCE(d.entity_summary, p.entity_summary) AS summary,
        -- the payment's own state, shown beside the chip (issue 17: "Synced" can hide an unpaid invoice)
        p.status::text AS payment_status, p.reason_code AS payment_reason
      FROM status_documents s
      LEFT JOIN sync_runs r ON r.id = s.run_id
      LEFT JOIN sync_runs d ON d.id = s.doc_run_id
      LEFT JOIN sync_runs p ON p.id = s.payment_run_id
      WHERE s.tenant_id = ${tenantId}::uuid AND s.kind = ${kind})`;
}

/**
 * Sort columns of `docs` (stored by the trigger, each with an index per direction) and the type their
 * cursor value is compared as; "recent" is time alone.
 */
const SORT: Record<StatusViewParams["sort"], [string | null, KeysetColumns["type"]]> = {
  recent: [null, "timestamptz"],
  increment: ["increment_id", "text"],
  customer: ["customer_sort", "text"],
  total: ["total_sort", "numeric"],
  chip: ["chip_rank", "int"],
};

function docKeyset(sort: StatusViewParams["sort"]): KeysetColumns {
  const [value, type] = SORT[sort];
  return {
    value: value ? Prisma.raw(value) : null,
    type,
    time: Prisma.raw("last_at"),
    scope: Prisma.raw("binding_id"),
    key: Prisma.raw("entity_id"),
    keyType: "bigint",
    notNull: sort === "chip",
  };
}

function docWhere(p: StatusViewParams, withChip: boolean): Prisma.Sql {
  const conds: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (withChip && p.chip) conds.push(Prisma.sql`chip = ${p.chip}`);
  if (p.entity !== undefined) conds.push(Prisma.sql`entity_id = ${p.entity}`);
  if (p.q) conds.push(documentSearchSql(p.q));
  return Prisma.join(conds, " AND ");
}

interface RawDoc {
  sort_key?: string | null;
  binding_id: string;
  entity_id: number;
  increment_id: string | null;
  summary: Prisma.JsonValue;
  chip: ChipVariant;
  payment_failed: boolean | null;
  run_id: string | null;
  run_event: string | null;
  status: RunStatusName | null;
  reason_code: string | null;
  error_class: string | null;
  error_message: string | null;
  provider_entity_id: string | null;
  provider_reference: string | null;
  since: Date | null;
  last_at: Date;
  payment_status: RunStatusName | null;
  payment_reason: string | null;
}

function str(o: Prisma.JsonValue, k: string): string | null {
  if (!o || typeof o !== "object" || Array.isArray(o)) return null;
  const v = (o as Record<string, Prisma.JsonValue>)[k];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

export function toDocumentRow(r: RawDoc): DocumentRow {
  return {
    bindingId: r.binding_id,
    entityId: Number(r.entity_id),
    incrementId: r.increment_id,
    orderIncrementId: str(r.summary, "orderIncrementId"),
    customerName: str(r.summary, "customerName"),
    customerEmail: str(r.summary, "customerEmail"),
    total: str(r.summary, "total"),
    currency: str(r.summary, "currency"),
    chip: r.chip,
    runId: r.run_id,
    runEvent: r.run_event,
    status: r.status,
    reasonCode: r.reason_code,
    errorClass: r.error_class,
    errorMessage: r.error_message,
    providerEntityId: r.provider_entity_id,
    providerReference: r.provider_reference,
    since: r.since?.toISOString() ?? null,
    lastAt: r.last_at.toISOString(),
    paymentFailed: Boolean(r.payment_failed),
    paymentStatus: r.payment_status ?? null,
    paymentReason: r.payment_reason ?? null,
  };
}

/** A cursor whose key is not a document id (only our own links make cursors) reads as "first page". */
function bigintKeyCursor(after: string | undefined): ViewCursor | null {
  const c = decodeViewCursor(after);
  return c && /^\d{1,18}$/.test(c.k) ? c : null;
}

export function emptyCounts(): Record<ChipVariant, number> {
  return { synced: 0, pending: 0, skipped: 0, failed: 0, none: 0 };
}

/**
 * Documents per chip for the view's filter without its chip part (what each toggle would show). With no
 * search or deep link, each chip is counted over its own index and stops at COUNT_CAP ("2,000+"), so
 * the toggles cost the same at a million runs as at a hundred; a search counts exactly what it found.
 */
export async function countDocuments(tenantId: string, kind: DocumentKind, p: StatusViewParams): Promise<Record<ChipVariant, number>> {
  const counts = emptyCounts();
  const rows =
    p.q || p.entity !== undefined
      ? await db().$queryRaw<{ chip: ChipVariant; n: number }[]>`WITH ${documentsCte(tenantId, kind)}
          SELECT chip, count(*)::int AS n FROM docs WHERE ${docWhere(p, false)} GROUP BY chip`
      : await db().$queryRaw<{ chip: ChipVariant; n: number }[]>`SELECT c.chip, (SELECT count(*)::int FROM (
            SELECT 1 FROM status_documents s WHERE s.tenant_id = ${tenantId}::uuid AND s.kind = ${kind} AND s.chip = c.chip
            LIMIT ${COUNT_CAP + 1}) x) AS n
          FROM unnest(${[...CHIP_VARIANTS]}::text[]) AS c(chip)`;
  for (const c of rows) counts[c.chip] = Number(c.n);
  return counts;
}

/** One keyset page of documents (`p.after` names the previous page's last row) with the chip counts. */
export async function listDocuments(
  tenantId: string,
  kind: DocumentKind,
  p: StatusViewParams,
  opts: { limit?: number } = {},
): Promise<DocumentPage> {
  const limit = opts.limit ?? STATUS_VIEW_PAGE;
  const cte = documentsCte(tenantId, kind);
  const ks = docKeyset(p.sort);
  const cursor = bigintKeyCursor(p.after);
  const where = cursor ? Prisma.sql`${docWhere(p, true)} AND ${keysetAfter(ks, p.dir, cursor)}` : docWhere(p, true);
  const sortKey = ks.value ? Prisma.sql`(${ks.value})::text` : Prisma.sql`NULL::text`;
  const [rows, counts] = await Promise.all([
    db().$queryRaw<RawDoc[]>`WITH ${cte} SELECT *, ${sortKey} AS sort_key FROM docs WHERE ${where}
      ORDER BY ${keysetOrder(ks, p.dir)} LIMIT ${limit + 1}`,
    countDocuments(tenantId, kind, p),
  ]);
  // a sum of capped counts is only a floor; past the cap it reads "2,000+" like each count
  const total = p.chip ? counts[p.chip] : Object.values(counts).reduce((a, b) => a + b, 0);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeViewCursor({ v: last.sort_key ?? null, t: last.last_at.toISOString(), b: last.binding_id, k: String(last.entity_id) })
      : null;
  return { rows: page.map(toDocumentRow), counts, total, nextCursor };
}

export interface OrderRollup {
  bindingId: string;
  orderKey: string;
  orderIncrementId: string | null;
  customerName: string | null;
  total: number;
  synced: number;
  invoices: { entityId: number; incrementId: string | null; chip: ChipVariant; runId: string | null }[];
  lastAt: string;
}

export interface OrderPage {
  orders: OrderRollup[];
  total: number;
  /** keyset cursor of the next page, null on the last */
  nextCursor: string | null;
}

/** Orders page newest first by their latest invoice run, then binding and order key. */
const ORDER_KEYSET: KeysetColumns = {
  value: null,
  type: "timestamptz",
  time: Prisma.raw("last_at"),
  scope: Prisma.raw("binding_id"),
  key: Prisma.raw("order_key"),
};

/**
 * Invoices grouped by their order, with how many reached Sage ("1 of 2 invoices synced"). Without a
 * search or deep link the page reads `status_orders`, one stored row per order that the status view
 * triggers keep from its invoice rows (migration 20261206041500_status_order_rows): newest first over
 * an index, a chip filter over that chip's partial index, the count capped like every other view's —
 * so its cost does not grow with the store. The page's orders then fetch their invoices by (binding,
 * order key). A search or deep link narrows the invoices each order shows, which no stored row can
 * know, so it groups the invoices it matched (few, found through their own indexes) and counts them
 * exactly, as the other views' searches do.
 */
export async function listOrderRollups(tenantId: string, p: StatusViewParams, opts: { limit?: number } = {}): Promise<OrderPage> {
  const limit = opts.limit ?? STATUS_VIEW_PAGE;
  const cursor = decodeViewCursor(p.after);
  const after = cursor ? keysetAfter(ORDER_KEYSET, "desc", cursor) : Prisma.sql`TRUE`;
  const narrowed = Boolean(p.q) || p.entity !== undefined;
  const [rows, n] = narrowed
    ? await groupedOrders(tenantId, p, after, limit, cursor !== null)
    : await Promise.all([storedOrders(tenantId, p, after, limit), countStoredOrders(tenantId, p)]);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    orders: rows.slice(0, limit).map((r) => ({
      bindingId: r.binding_id,
      orderKey: r.order_key,
      orderIncrementId: r.order_increment_id,
      customerName: r.customer_name,
      total: Number(r.total),
      synced: Number(r.synced),
      invoices: r.invoices.map((i) => ({ ...i, entityId: Number(i.entityId) })),
      lastAt: r.last_at.toISOString(),
    })),
    total: Number(n),
    nextCursor: last ? encodeViewCursor({ v: null, t: last.last_at.toISOString(), b: last.binding_id, k: last.order_key }) : null,
  };
}

interface RawOrder {
  binding_id: string;
  order_key: string;
  order_increment_id: string | null;
  customer_name: string | null;
  total: number;
  synced: number;
  invoices: OrderRollup["invoices"];
  last_at: Date;
}

/** An order's invoices (those the filter keeps), by number: `o` is the order's row. */
const orderInvoices = (where: Prisma.Sql) => Prisma.sql`(SELECT json_agg(json_build_object('entityId', d.entity_id,
    'incrementId', d.increment_id, 'chip', d.chip, 'runId', d.run_id) ORDER BY d.increment_id)
  FROM status_documents d WHERE d.binding_id = o.binding_id AND d.kind = 'invoice' AND d.order_key = o.order_key AND ${where})`;

/**
 * The chip filter on a stored order: a literal `<chip>_count > 0`, the predicate of that chip's partial
 * index (a bound parameter would not let the planner use it). The column comes from this closed map.
 */
const ORDER_CHIP_COLUMN: Record<ChipVariant, string> = {
  synced: "synced_count",
  pending: "pending_count",
  skipped: "skipped_count",
  failed: "failed_count",
  none: "none_count",
};
const storedOrderChip = (p: StatusViewParams) => (p.chip ? Prisma.raw(`${ORDER_CHIP_COLUMN[p.chip]} > 0`) : Prisma.sql`TRUE`);

function storedOrders(tenantId: string, p: StatusViewParams, after: Prisma.Sql, limit: number): Promise<RawOrder[]> {
  return db().$queryRaw<RawOrder[]>`
    SELECT o.binding_id, o.order_key, o.order_increment_id, o.customer_name, o.invoice_count AS total, o.synced_count AS synced, o.last_at,
      ${orderInvoices(Prisma.sql`TRUE`)} AS invoices
    FROM status_orders o WHERE o.tenant_id = ${tenantId}::uuid AND ${storedOrderChip(p)} AND ${after}
    ORDER BY ${keysetOrder(ORDER_KEYSET, "desc")} LIMIT ${limit + 1}`;
}

/**
 * Orders for the stored page's filter, stopping at COUNT_CAP ("2,000+") like the chip counts. Counted in
 * the page's order, so it walks the page's index whatever the statistics say: unordered, the planner
 * may read the table from its start until it has met enough of this tenant's rows.
 */
async function countStoredOrders(tenantId: string, p: StatusViewParams): Promise<number> {
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (
      SELECT 1 FROM status_orders WHERE tenant_id = ${tenantId}::uuid AND ${storedOrderChip(p)}
      ORDER BY ${keysetOrder(ORDER_KEYSET, "desc")} LIMIT ${COUNT_CAP + 1}) x`;
  return Number(n);
}

/** With a chip filter, the orders holding at least one invoice of that chip. */
const orderHaving = (p: StatusViewParams) => (p.chip ? Prisma.sql`HAVING bool_or(chip = ${p.chip})` : Prisma.empty);

/**
 * A search or deep link: the matching invoices grouped by order (each order's figures are over the
 * invoices it matched), with their exact count; a page past the last counts on its own.
 */
async function groupedOrders(
  tenantId: string,
  p: StatusViewParams,
  after: Prisma.Sql,
  limit: number,
  paged: boolean,
): Promise<[RawOrder[], number]> {
  const having = orderHaving(p);
  const rows = await db().$queryRaw<(RawOrder & { n: number })[]>`
    WITH g AS (
      SELECT binding_id, order_key, max(order_increment_id) AS order_increment_id, max(customer_name) AS customer_name,
        count(*)::int AS total, (count(*) FILTER (WHERE chip = 'synced'))::int AS synced, max(last_at) AS last_at
      FROM status_documents WHERE tenant_id = ${tenantId}::uuid AND kind = 'invoice' AND ${docWhere(p, false)} GROUP BY 1, 2 ${having}),
    o AS (SELECT *, count(*) OVER ()::int AS n FROM g)
    SELECT o.*, ${orderInvoices(docWhere(p, false))} AS invoices
    FROM o WHERE ${after} ORDER BY ${keysetOrder(ORDER_KEYSET, "desc")} LIMIT ${limit + 1}`;
  if (rows[0] || !paged) return [rows, rows[0]?.n ?? 0];
  const [{ n }] = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (
      SELECT 1 FROM status_documents WHERE tenant_id = ${tenantId}::uuid AND kind = 'invoice' AND ${docWhere(p, false)}
      GROUP BY binding_id, order_key ${having}) g`;
  return [rows, Number(n)];
}

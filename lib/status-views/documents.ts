import { Prisma } from "@/src/generated/prisma/client";
import { documentSearchSql } from "./search";
import { db } from "@/lib/db";
import { decodeViewCursor, encodeViewCursor, keysetAfter, keysetOrder, type KeysetColumns } from "./keyset";
import { STATUS_VIEW_PAGE, type StatusViewParams } from "./params";
import { chipForStatus, RUN_STATUSES, type ChipVariant, type RunStatusName } from "./vocabulary";

/**
 * The Magento-side views: one row per Magento invoice or credit memo, with its chip. The latest run
 * per (binding, document) decides; for invoices, decisions D4 as `invoiceChip`/`invoiceChipRun`
 * (vocabulary.ts) state it: a failed latest payment run shows failed (so the row gets attention),
 * otherwise the invoice's own run decides. chip-rule.int.test.ts runs this SQL over every pair of
 * statuses against those functions.
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

/** `chipForStatus` as SQL, generated from it: one status → chip mapping for TypeScript and SQL. */
const chipOf = (col: string) =>
  Prisma.raw(
    `CASE ${col} ${RUN_STATUSES.map((s) => `WHEN '${s}' THEN '${chipForStatus(s)}'`).join(" ")} ELSE '${chipForStatus(null)}' END`,
  );
const LIVE_STATUSES = RUN_STATUSES.filter((s) => chipForStatus(s) === "pending")
  .map((s) => `'${s}'`)
  .join(", ");

function latest(tenantId: string, bindings: Prisma.Sql, event: string): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT ON (binding_id, magento_entity_id) id, binding_id, magento_entity_id, magento_increment_id,
      status::text AS status, reason_code, error_class, error_message, provider_entity_id, provider_reference,
      entity_summary, created_at, updated_at
    FROM sync_runs WHERE tenant_id = ${tenantId}::uuid AND binding_id IN (${bindings}) AND event = ${event}
    ORDER BY binding_id, magento_entity_id, created_at DESC, id DESC`;
}

/**
 * `docs`: one row per document with its chip and the deciding run (`d.*` columns), as a CTE body the
 * list, counts and order roll-up select from.
 */
export function documentsCte(tenantId: string, bindingIds: string[], kind: DocumentKind): Prisma.Sql {
  const bindings = Prisma.join(bindingIds.map((b) => Prisma.sql`${b}::uuid`));
  if (kind === "creditmemo") {
    return Prisma.sql`cm AS (${latest(tenantId, bindings, "creditmemo.created")}),
    docs AS (
      SELECT binding_id, magento_entity_id AS entity_id, ${chipOf("status")} AS chip, false AS payment_failed,
        id AS run_id, 'creditmemo.created' AS run_event, status, reason_code, error_class, error_message,
        provider_entity_id, provider_reference, updated_at AS since, created_at AS last_at,
        COALESCE(magento_increment_id, entity_summary->>'incrementId') AS increment_id, entity_summary AS summary,
        NULL::text AS payment_status, NULL::text AS payment_reason
      FROM cm)`;
  }
  const pick = (col: string, as: string) => Prisma.raw(`CASE WHEN d.use_pay THEN p.${col} ELSE i.${col} END AS ${as}`);
  return Prisma.sql`inv AS (${latest(tenantId, bindings, "invoice.created")}),
    pay AS (${latest(tenantId, bindings, "invoice.paid")}),
    docs AS (
      SELECT COALESCE(i.binding_id, p.binding_id) AS binding_id, COALESCE(i.magento_entity_id, p.magento_entity_id) AS entity_id,
        CASE WHEN d.payment_failed THEN 'failed'
             WHEN i.id IS NULL THEN (CASE WHEN p.status IN (${Prisma.raw(LIVE_STATUSES)}) THEN 'pending' ELSE 'none' END)
             ELSE ${chipOf("i.status")} END AS chip,
        d.payment_failed,
        ${pick("id", "run_id")}, CASE WHEN d.use_pay THEN 'invoice.paid' ELSE 'invoice.created' END AS run_event,
        ${pick("status", "status")}, ${pick("reason_code", "reason_code")}, ${pick("error_class", "error_class")},
        ${pick("error_message", "error_message")}, ${pick("provider_entity_id", "provider_entity_id")},
        ${pick("provider_reference", "provider_reference")}, ${pick("updated_at", "since")},
        GREATEST(i.created_at, p.created_at) AS last_at,
        COALESCE(i.magento_increment_id, p.magento_increment_id, i.entity_summary->>'incrementId', p.entity_summary->>'incrementId') AS increment_id,
        COALESCE(i.entity_summary, p.entity_summary) AS summary,
        -- the payment's own state, shown beside the chip (issue 17: "Synced" can hide an unpaid invoice)
        p.status::text AS payment_status, p.reason_code AS payment_reason
      FROM inv i FULL JOIN pay p ON p.binding_id = i.binding_id AND p.magento_entity_id = i.magento_entity_id
      -- D4: a failed payment decides; so does the payment when the invoice itself never ran
      CROSS JOIN LATERAL (SELECT COALESCE(p.status = 'failed', false) AS payment_failed,
                                 (COALESCE(p.status = 'failed', false) OR i.id IS NULL) AS use_pay) d)`;
}

/** Sort expressions over `docs` and the type their cursor value is compared as; "recent" is time alone. */
const SORT: Record<StatusViewParams["sort"], [string | null, KeysetColumns["type"]]> = {
  recent: [null, "timestamptz"],
  increment: ["increment_id", "text"],
  customer: ["lower(summary->>'customerName')", "text"],
  total: ["(CASE WHEN summary->>'total' ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (summary->>'total')::numeric END)", "numeric"],
  chip: ["array_position(ARRAY['failed','pending','skipped','none','synced'], chip)", "int"],
};

function docKeyset(sort: StatusViewParams["sort"]): KeysetColumns {
  const [value, type] = SORT[sort];
  return {
    value: value ? Prisma.raw(value) : null,
    type,
    time: Prisma.raw("last_at"),
    scope: Prisma.raw("binding_id"),
    key: Prisma.raw("entity_id::text"),
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

export async function tenantBindingIds(tenantId: string): Promise<string[]> {
  const rows = await db().binding.findMany({ where: { tenantId }, select: { id: true } });
  return rows.map((r) => r.id);
}

export function emptyCounts(): Record<ChipVariant, number> {
  return { synced: 0, pending: 0, skipped: 0, failed: 0, none: 0 };
}

/** Documents per chip for the view's filter without its chip part (what each toggle would show). */
export async function countDocuments(tenantId: string, kind: DocumentKind, p: StatusViewParams): Promise<Record<ChipVariant, number>> {
  const counts = emptyCounts();
  const bindings = await tenantBindingIds(tenantId);
  if (!bindings.length) return counts;
  const rows = await db().$queryRaw<
    { chip: ChipVariant; n: number }[]
  >`WITH ${documentsCte(tenantId, bindings, kind)} SELECT chip, count(*)::int AS n FROM docs WHERE ${docWhere(p, false)} GROUP BY chip`;
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
  const bindings = await tenantBindingIds(tenantId);
  if (!bindings.length) return { rows: [], counts: emptyCounts(), total: 0, nextCursor: null };
  const limit = opts.limit ?? STATUS_VIEW_PAGE;
  const cte = documentsCte(tenantId, bindings, kind);
  const ks = docKeyset(p.sort);
  const cursor = decodeViewCursor(p.after);
  const where = cursor ? Prisma.sql`${docWhere(p, true)} AND ${keysetAfter(ks, p.dir, cursor)}` : docWhere(p, true);
  const sortKey = ks.value ? Prisma.sql`(${ks.value})::text` : Prisma.sql`NULL::text`;
  const [rows, counts] = await Promise.all([
    db().$queryRaw<RawDoc[]>`WITH ${cte} SELECT *, ${sortKey} AS sort_key FROM docs WHERE ${where}
      ORDER BY ${keysetOrder(ks, p.dir)} LIMIT ${limit + 1}`,
    countDocuments(tenantId, kind, p),
  ]);
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

/** Invoices grouped by their order, with how many reached Sage ("1 of 2 invoices synced"). */
export async function listOrderRollups(tenantId: string, p: StatusViewParams, opts: { limit?: number } = {}): Promise<OrderPage> {
  const bindings = await tenantBindingIds(tenantId);
  if (!bindings.length) return { orders: [], total: 0, nextCursor: null };
  const limit = opts.limit ?? STATUS_VIEW_PAGE;
  const cursor = decodeViewCursor(p.after);
  const after = cursor ? keysetAfter(ORDER_KEYSET, "desc", cursor) : Prisma.sql`TRUE`;
  const cte = documentsCte(tenantId, bindings, "invoice");
  const having = p.chip ? Prisma.sql`HAVING bool_or(chip = ${p.chip})` : Prisma.empty;
  const grouped = Prisma.sql`SELECT binding_id, COALESCE(summary->>'orderId', summary->>'orderIncrementId', 'invoice:' || entity_id) AS order_key,
      max(summary->>'orderIncrementId') AS order_increment_id, max(summary->>'customerName') AS customer_name,
      count(*)::int AS total, (count(*) FILTER (WHERE chip = 'synced'))::int AS synced,
      json_agg(json_build_object('entityId', entity_id, 'incrementId', increment_id, 'chip', chip, 'runId', run_id) ORDER BY increment_id) AS invoices,
      max(last_at) AS last_at
    FROM docs WHERE ${docWhere(p, false)} GROUP BY 1, 2 ${having}`;
  const [rows, [{ n }]] = await Promise.all([
    db().$queryRaw<
      {
        binding_id: string;
        order_key: string;
        order_increment_id: string | null;
        customer_name: string | null;
        total: number;
        synced: number;
        invoices: OrderRollup["invoices"];
        last_at: Date;
      }[]
    >`
      WITH ${cte}, g AS (${grouped}) SELECT * FROM g WHERE ${after} ORDER BY ${keysetOrder(ORDER_KEYSET, "desc")} LIMIT ${limit + 1}`,
    db().$queryRaw<{ n: number }[]>`WITH ${cte}, g AS (${grouped}) SELECT count(*)::int AS n FROM g`,
  ]);
  const total = Number(n);
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
    total,
    nextCursor: last ? encodeViewCursor({ v: null, t: last.last_at.toISOString(), b: last.binding_id, k: last.order_key }) : null,
  };
}

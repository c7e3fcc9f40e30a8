import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import {
  ENTITY_TYPES,
  EVENTS,
  RUN_STATUSES,
  RUN_WARNINGS,
  SKIP_REASONS,
  SYNC_ERROR_CLASSES,
  type RunStatusName,
} from "@/lib/status-views/vocabulary";
import { COUNT_CAP } from "@/lib/status-views/counts";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor";
import type { HistoryFilter, SortKey } from "./filter";
import { and, filterConditions, scopedBindingIds, statusLiteral } from "./scope";

/**
 * The history list: server-side filter, sort and keyset pagination over sync_runs.
 *
 * The query is a UNION ALL of one sub-select per binding (and per status or event when those are
 * filtered or sorted on), each with equality on the leading columns of one of the binding-prefixed
 * indexes and its own ORDER BY … LIMIT. PostgreSQL then reads each partition in index order and
 * merges them (Merge Append), so a page costs about `limit` index entries per partition however many
 * runs the tenant has. Duration and attempts have their own (binding, value, created_at, id) indexes.
 */

export interface HistoryRow {
  id: string;
  bindingId: string;
  event: string;
  entityType: string;
  magentoEntityId: number;
  magentoIncrementId: string | null;
  status: RunStatusName;
  reasonCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  providerEntityId: string | null;
  providerReference: string | null;
  provider: string;
  /** warnings of a succeeded run (D3, D11's total_mismatch) */
  warnings: string[];
  attemptCount: number;
  durationMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryPage {
  rows: HistoryRow[];
  nextCursor: string | null;
}

interface RawRow extends Omit<HistoryRow, "createdAt" | "updatedAt" | "durationMs"> {
  createdAt: Date;
  updatedAt: Date;
  durationMs: number;
}

export const PAGE_SIZE = 50;
const MAX_PAGE = 500;

/**
 * Run duration: from pick-up (or intake) to settling, -1 while unfinished so keyset order is total.
 * Stored by a trigger (migration history_sort_indexes) so the sort walks its own index.
 */
const DURATION = Prisma.sql`duration_ms`;

const COLUMNS = Prisma.sql`id, binding_id AS "bindingId", event, entity_type AS "entityType",
  magento_entity_id AS "magentoEntityId", magento_increment_id AS "magentoIncrementId", status,
  reason_code AS "reasonCode", error_class AS "errorClass", error_message AS "errorMessage",
  provider_entity_id AS "providerEntityId", provider_reference AS "providerReference", provider, warnings,
  attempt_count AS "attemptCount", ${DURATION}::float8 AS "durationMs", created_at AS "createdAt", updated_at AS "updatedAt"`;

interface Partition {
  bindingId: string;
  status: RunStatusName | null;
  event: string | null;
  /** an entity id search without a type is split per type, so the entity index applies */
  entityType: string | null;
}

function partitions(bindings: string[], f: HistoryFilter): Partition[] {
  const statuses: (RunStatusName | null)[] = f.status.length ? f.status : f.sort === "status" ? [...RUN_STATUSES] : [null];
  const events: (string | null)[] = f.event ? [null] : f.sort === "event" ? [...EVENTS] : [null];
  const types: (string | null)[] = f.entity !== undefined && !f.type ? [...ENTITY_TYPES] : [null];
  return bindings.flatMap((bindingId) =>
    statuses.flatMap((status) => events.flatMap((event) => types.map((entityType) => ({ bindingId, status, event, entityType })))),
  );
}

/** Compare two constant sort values in the sort's own order (enum order for status, C order for event). */
function compareConst(sort: SortKey, a: string, b: string): number {
  if (sort === "status") return RUN_STATUSES.indexOf(a as RunStatusName) - RUN_STATUSES.indexOf(b as RunStatusName);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The keyset condition inside one partition, or `false` when the partition lies wholly before the
 * cursor. "After the cursor" means further along in the requested direction.
 */
function keyset(f: HistoryFilter, p: Partition, c: Cursor): Prisma.Sql | false {
  const op = Prisma.raw(f.dir === "desc" ? "<" : ">");
  const tail = Prisma.sql`(created_at, id) ${op} (${c.t}::timestamptz, ${c.id}::uuid)`;
  if (f.sort === "time") return tail;
  if (f.sort === "status" || f.sort === "event") {
    const mine = f.sort === "status" ? p.status : (p.event ?? f.event ?? null);
    if (mine === null || typeof c.v !== "string") return tail;
    const cmp = compareConst(f.sort, mine, c.v) * (f.dir === "desc" ? -1 : 1);
    if (cmp < 0) return false;
    return cmp === 0 ? tail : Prisma.sql`TRUE`;
  }
  const expr = f.sort === "duration" ? DURATION : Prisma.sql`attempt_count`;
  const v = typeof c.v === "number" ? Math.trunc(c.v) : 0;
  const cast = Prisma.raw(f.sort === "duration" ? "bigint" : "int");
  return Prisma.sql`(${expr}, created_at, id) ${op} (${v}::${cast}, ${c.t}::timestamptz, ${c.id}::uuid)`;
}

/**
 * ORDER BY for the outer merge (`u.`) or inside one partition. Inside a partition the status or event
 * is constant, so those sorts order by time alone there, which the partition's index provides.
 */
function orderBy(f: HistoryFilter, prefix: "" | "u."): Prisma.Sql {
  const d = Prisma.raw(f.dir === "asc" ? "ASC" : "DESC");
  const col = (inner: string, outer: string) => Prisma.raw(prefix ? `u."${outer}"` : inner);
  const time = Prisma.sql`${col("created_at", "createdAt")} ${d}, ${col("id", "id")} ${d}`;
  if (!prefix && (f.sort === "status" || f.sort === "event")) return time;
  switch (f.sort) {
    case "time":
      return time;
    case "status":
      return Prisma.sql`${col("status", "status")} ${d}, ${time}`;
    case "event":
      return Prisma.sql`u.event COLLATE "C" ${d}, ${time}`;
    case "duration":
      return Prisma.sql`${prefix ? Prisma.raw(`u."durationMs"`) : DURATION} ${d}, ${time}`;
    case "attempts":
      return Prisma.sql`${col("attempt_count", "attemptCount")} ${d}, ${time}`;
  }
}

function sortValue(f: HistoryFilter, r: RawRow): Cursor["v"] {
  switch (f.sort) {
    case "status":
      return r.status;
    case "event":
      return r.event;
    case "duration":
      return r.durationMs;
    case "attempts":
      return r.attemptCount;
    default:
      return null;
  }
}

export interface ListOptions {
  cursor?: string | null;
  limit?: number;
  now?: Date;
}

/** The list query for a filter (null when the tenant has no binding it allows); exported for EXPLAIN in the bench. */
export async function buildListSql(tenantId: string, f: HistoryFilter, opts: ListOptions = {}): Promise<Prisma.Sql | null> {
  const limit = pageLimit(opts.limit);
  const bindings = await scopedBindingIds(tenantId, f);
  if (!bindings.length) return null;
  const cursor = decodeCursor(opts.cursor);
  const base = filterConditions(tenantId, f, { omit: "status", now: opts.now });
  const subs: Prisma.Sql[] = [];
  for (const p of partitions(bindings, f)) {
    const conds = [Prisma.sql`binding_id = ${p.bindingId}::uuid`, ...base];
    if (p.status) conds.push(Prisma.sql`status = ${statusLiteral(p.status)}`);
    if (p.event) conds.push(Prisma.sql`event = ${p.event}`);
    if (p.entityType) conds.push(Prisma.sql`entity_type = ${p.entityType}`);
    if (cursor) {
      const k = keyset(f, p, cursor);
      if (k === false) continue;
      conds.push(k);
    }
    subs.push(Prisma.sql`(SELECT ${COLUMNS} FROM sync_runs WHERE ${and(conds)} ORDER BY ${orderBy(f, "")} LIMIT ${limit + 1})`);
  }
  if (!subs.length) return null;
  return Prisma.sql`SELECT * FROM (${Prisma.join(subs, " UNION ALL ")}) u ORDER BY ${orderBy(f, "u.")} LIMIT ${limit + 1}`;
}

const pageLimit = (n: number | undefined) => Math.min(Math.max(n ?? PAGE_SIZE, 1), MAX_PAGE);

/** One page of the tenant's runs matching the filter, newest first unless sorted otherwise. */
export async function listRuns(tenantId: string, f: HistoryFilter, opts: ListOptions = {}): Promise<HistoryPage> {
  const limit = pageLimit(opts.limit);
  const sql = await buildListSql(tenantId, f, opts);
  if (!sql) return { rows: [], nextCursor: null };
  const raw = await db().$queryRaw<RawRow[]>(sql);
  const page = raw.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    raw.length > limit && last ? encodeCursor({ v: sortValue(f, last), t: last.createdAt.toISOString(), id: last.id }) : null;
  return { rows: page.map(toRow), nextCursor };
}

function toRow(r: RawRow): HistoryRow {
  return {
    ...r,
    magentoEntityId: Number(r.magentoEntityId),
    attemptCount: Number(r.attemptCount),
    durationMs: r.durationMs < 0 ? null : Number(r.durationMs),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Counts are exact up to COUNT_CAP and stop there: each facet value is counted by its own
 * `LIMIT COUNT_CAP + 1` index-only scan, so a count costs at most that many index entries whatever the
 * range or the tenant's volume. A value above the cap means "more than COUNT_CAP" (the UI writes
 * "2,000+", `formatCount`); below it the figure is exact, which is what an operator acts on.
 */
export interface HistoryCounts {
  /** per run status, for the filter without its status part (what each toggle would give) */
  byStatus: Record<RunStatusName, number>;
  /** per reason code / error class, for the filter without its code part */
  byCode: Record<string, number>;
  /** runs with any warning (`any`) and per warning code, for the filter without its warning part */
  byWarning: Record<string, number>;
}

/** `SELECT key, n` for one facet value: count(*) over at most COUNT_CAP + 1 matching rows. */
function capped(key: string, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT ${key}::text AS k, count(*)::int AS n FROM (SELECT 1 FROM sync_runs WHERE ${where} LIMIT ${COUNT_CAP + 1}) c)`;
}

/**
 * The exact number of runs matching the whole filter, however many: for work that must know it (a bulk
 * retry's total drives its progress bar), not for every page view (that is what the capped counts are for).
 */
export async function countRunsExact(tenantId: string, f: HistoryFilter, opts: { now?: Date } = {}): Promise<number> {
  const bindings = await scopedBindingIds(tenantId, f);
  if (!bindings.length) return 0;
  const inBindings = Prisma.sql`binding_id IN (${Prisma.join(bindings.map((b) => Prisma.sql`${b}::uuid`))})`;
  const [{ n }] = await db().$queryRaw<{ n: bigint | number }[]>`
    SELECT count(*) AS n FROM sync_runs WHERE ${and([inBindings, ...filterConditions(tenantId, f, { now: opts.now })])}`;
  return Number(n);
}

/**
 * The counts queries for a filter: statuses and warnings, skip reasons, error classes — three parts of
 * about the same weight. Sent at once on pooled connections, an all-time count walks its capped index
 * ranges on every core instead of one, so the operator waits for the largest part, not the sum.
 */
function buildCountSqls(tenantId: string, bindings: string[], f: HistoryFilter, opts: { now?: Date } = {}): Prisma.Sql[] {
  const inBindings = Prisma.sql`binding_id IN (${Prisma.join(bindings.map((b) => Prisma.sql`${b}::uuid`))})`;
  const statusConds = [inBindings, ...filterConditions(tenantId, f, { omit: "status", now: opts.now })];
  const codeConds = [inBindings, ...filterConditions(tenantId, f, { omit: "code", now: opts.now })];
  const warningConds = [inBindings, ...filterConditions(tenantId, f, { omit: "warning", now: opts.now })];
  const statuses = RUN_STATUSES.map((s) => capped(s, and([...statusConds, Prisma.sql`status = ${statusLiteral(s)}`])));
  const skips = SKIP_REASONS.map((c) =>
    capped(`code:${c}`, and([...codeConds, Prisma.sql`reason_code = ${c}`, Prisma.sql`status = ${statusLiteral("skipped_by_policy")}`])),
  );
  const errors = SYNC_ERROR_CLASSES.map((c) =>
    capped(`code:${c}`, and([...codeConds, Prisma.sql`error_class = ${c}`, Prisma.sql`status = ${statusLiteral("failed")}`])),
  );
  const warnings = [
    // `cardinality(warnings) > 0` matches the partial index of runs with warnings
    capped("warning:any", and([...warningConds, Prisma.sql`cardinality(warnings) > 0`])),
    ...RUN_WARNINGS.map((w) =>
      capped(`warning:${w}`, and([...warningConds, Prisma.sql`cardinality(warnings) > 0`, Prisma.sql`${w} = ANY(warnings)`])),
    ),
  ];
  return [[...statuses, ...warnings], skips, errors].map((part) => Prisma.join(part, " UNION ALL "));
}

export async function countRuns(tenantId: string, f: HistoryFilter, opts: { now?: Date } = {}): Promise<HistoryCounts> {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatusName, number>;
  const byCode: Record<string, number> = {};
  const byWarning: Record<string, number> = {};
  const bindings = await scopedBindingIds(tenantId, f);
  if (!bindings.length) return { byStatus, byCode, byWarning };
  const parts = await Promise.all(
    buildCountSqls(tenantId, bindings, f, opts).map((sql) => db().$queryRaw<{ k: string; n: number }[]>(sql)),
  );
  const rows = parts.flat();
  for (const { k, n } of rows) {
    const count = Number(n);
    if (k.startsWith("code:")) {
      if (count) byCode[k.slice(5)] = count;
    } else if (k.startsWith("warning:")) {
      if (count || k === "warning:any") byWarning[k.slice(8)] = count;
    } else byStatus[k as RunStatusName] = count;
  }
  return { byStatus, byCode, byWarning };
}

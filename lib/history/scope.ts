import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { isErrorClass, isSkipReason } from "@/lib/status-views/vocabulary";
import { timeWindow, type HistoryFilter } from "./filter";

/**
 * The WHERE clause shared by the history list, its counts and bulk retry. Every query is scoped to
 * the tenant twice: by `tenant_id`, and by naming the tenant's own bindings, which is also what lets
 * PostgreSQL use the binding-prefixed indexes on sync_runs.
 */

/** The tenant's bindings the filter allows (by binding id and provider). Another tenant's id → none. */
export async function scopedBindingIds(tenantId: string, f: Pick<HistoryFilter, "binding" | "provider">): Promise<string[]> {
  const rows = await db().binding.findMany({
    where: { tenantId, ...(f.binding ? { id: f.binding } : {}), ...(f.provider ? { provider: f.provider } : {}) },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => r.id);
}

/** Providers the tenant's bindings post to; the provider filter chip appears when there are several. */
export async function tenantProviders(tenantId: string): Promise<string[]> {
  const rows = await db().binding.findMany({
    where: { tenantId },
    select: { provider: true },
    distinct: ["provider"],
    orderBy: { provider: "asc" },
  });
  return rows.map((r) => r.provider);
}

export type FilterPart = "status" | "code" | "warning";

/**
 * Conditions for everything except the binding (and, when asked, the status, code or warning: counts
 * leave out the facet they count, so each toggle shows what it would give).
 */
export function filterConditions(tenantId: string, f: HistoryFilter, opts: { omit?: FilterPart; now?: Date } = {}): Prisma.Sql[] {
  const conds: Prisma.Sql[] = [Prisma.sql`tenant_id = ${tenantId}::uuid`];
  if (opts.omit !== "status" && f.status.length) {
    conds.push(Prisma.sql`status IN (${Prisma.join(f.status.map(statusLiteral))})`);
  }
  if (opts.omit !== "code" && f.code) {
    if (isSkipReason(f.code)) conds.push(Prisma.sql`reason_code = ${f.code}`);
    else if (isErrorClass(f.code)) conds.push(Prisma.sql`error_class = ${f.code}`);
  }
  if (opts.omit !== "warning" && f.warning) {
    // `cardinality(warnings) > 0` is the partial index's predicate: stating it lets a one-code filter use it too
    conds.push(Prisma.sql`cardinality(warnings) > 0`);
    if (f.warning !== "any") conds.push(Prisma.sql`${f.warning} = ANY(warnings)`);
  }
  if (f.event) conds.push(Prisma.sql`event = ${f.event}`);
  if (f.type) conds.push(Prisma.sql`entity_type = ${f.type}`);
  if (f.entity !== undefined) conds.push(Prisma.sql`magento_entity_id = ${f.entity}`);
  if (f.provider) conds.push(Prisma.sql`provider = ${f.provider}`);
  const w = timeWindow(f, opts.now);
  if (w.from) conds.push(Prisma.sql`created_at >= ${w.from.toISOString()}::timestamptz`);
  if (w.to) conds.push(Prisma.sql`created_at < ${w.to.toISOString()}::timestamptz`);
  return conds;
}

/** A status parameter typed as the enum, so comparisons stay sargable on the status index. */
export function statusLiteral(s: string): Prisma.Sql {
  return Prisma.sql`${s}::"RunStatus"`;
}

export function and(conds: Prisma.Sql[]): Prisma.Sql {
  return conds.length ? Prisma.join(conds, " AND ") : Prisma.sql`TRUE`;
}

import { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { searchTerms } from "@/lib/status-views/search-terms";

/**
 * What people type into a search box (issue 17, ui.md "Search boxes accept what people see"): the
 * document number Magento shows (`000000028`), the same with the Sage prefix (`MAG-000000028`), a
 * Sage reference (`SI-23`) or a Magento entity id (`28`). Each match says which of these it was, so
 * `000000028` is never silently read as entity 28. The history resolves a search to entities here,
 * then filters on them with its ordinary entity filter (lib/history/query.ts is unchanged).
 */

export type MatchKind = "sage_reference" | "document_number" | "entity_id";

export interface SearchMatch {
  kind: MatchKind;
  entityType: string;
  entityId: number;
  incrementId: string | null;
  reference: string | null;
}

export const MATCH_KIND_LABEL: Record<MatchKind, string> = {
  sage_reference: "Sage reference",
  document_number: "document number",
  entity_id: "Magento entity id",
};

interface Row {
  entity_type: string;
  entity_id: bigint | number;
  increment_id: string | null;
  reference: string | null;
}

/**
 * The entities a text matches in a tenant's runs, best kind first (a Sage reference, then a document
 * number, then an entity id), at most `limit` of them.
 */
export async function resolveSearch(tenantId: string, raw: string, limit = 5): Promise<SearchMatch[]> {
  const { text, documentNumbers, entityId } = searchTerms(raw);
  if (!text) return [];
  const latest = (where: Prisma.Sql) => Prisma.sql`
    SELECT DISTINCT ON (entity_type, magento_entity_id) entity_type, magento_entity_id AS entity_id,
      COALESCE(magento_increment_id, entity_summary->>'incrementId') AS increment_id, provider_reference AS reference
    FROM sync_runs WHERE tenant_id = ${tenantId}::uuid AND (${where})
    ORDER BY entity_type, magento_entity_id, (provider_reference IS NULL), created_at DESC
    LIMIT ${limit}`;
  const byKind: [MatchKind, Prisma.Sql | null][] = [
    ["sage_reference", Prisma.sql`upper(provider_reference) = upper(${text})`],
    [
      "document_number",
      Prisma.sql`magento_increment_id IN (${Prisma.join(documentNumbers)}) OR entity_summary->>'incrementId' IN (${Prisma.join(documentNumbers)})`,
    ],
    ["entity_id", entityId === null ? null : Prisma.sql`magento_entity_id = ${entityId}`],
  ];
  const found: SearchMatch[] = [];
  const seen = new Set<string>();
  for (const [kind, where] of byKind) {
    if (!where) continue;
    for (const r of await db().$queryRaw<Row[]>(latest(where))) {
      const key = `${r.entity_type}:${r.entity_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ kind, entityType: r.entity_type, entityId: Number(r.entity_id), incrementId: r.increment_id, reference: r.reference });
    }
  }
  return found.slice(0, limit);
}

/** "document number 000000028 → invoice #28": the sentence the page shows above the results. */
export function describeMatch(m: SearchMatch, typed: string): string {
  const what = `${m.entityType} #${m.entityId}${m.incrementId && m.kind !== "document_number" ? ` (${m.incrementId})` : ""}`;
  return `Matched ${MATCH_KIND_LABEL[m.kind]} ${typed.trim()} → ${what}`;
}

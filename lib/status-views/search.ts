import { Prisma } from "@/src/generated/prisma/client";
import { searchTerms } from "./search-terms";

/**
 * The Invoices and Credit memos search (issue 17): beside the customer and order it always matched,
 * the document number with or without Sage's prefix (`MAG-000000028`), the Sage reference (`SI-23`)
 * and the Magento entity id — and which of these a row matched, so the page can say so. The SQL runs
 * over the `docs` CTE of documents.ts, on columns the status_documents triggers keep for it.
 */

export type DocumentMatchKind = "document_number" | "sage_reference" | "entity_id" | "customer" | "order";

export const DOCUMENT_MATCH_LABEL: Record<DocumentMatchKind, string> = {
  document_number: "document number",
  sage_reference: "Sage reference",
  entity_id: "Magento entity id",
  customer: "customer",
  order: "order number",
};

const likeOf = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function documentSearchSql(q: string): Prisma.Sql {
  const { text, documentNumbers, entityId } = searchTerms(q);
  // `search_text` (status_documents) is the lower-case document number, customer name and e-mail and
  // order number, under a trigram index; the Sage reference must match whole, as people copy it.
  const conds = [
    Prisma.sql`search_text LIKE lower(${likeOf(text)})`,
    Prisma.sql`increment_id IN (${Prisma.join(documentNumbers)})`,
    Prisma.sql`reference_key = upper(${text})`,
  ];
  if (entityId !== null) conds.push(Prisma.sql`entity_id = ${entityId}`);
  return Prisma.sql`(${Prisma.join(conds, " OR ")})`;
}

/** Why a row came back for `q`, strongest reason first (the same rules as the SQL). */
export function documentMatchedBy(
  row: {
    entityId: number;
    incrementId: string | null;
    providerReference: string | null;
    customerName: string | null;
    customerEmail: string | null;
    orderIncrementId: string | null;
  },
  q: string,
): DocumentMatchKind | null {
  const { text, documentNumbers, entityId } = searchTerms(q);
  const has = (v: string | null) => Boolean(v && v.toLowerCase().includes(text.toLowerCase()));
  if (row.providerReference && row.providerReference.toUpperCase() === text.toUpperCase()) return "sage_reference";
  if (row.incrementId && (documentNumbers.includes(row.incrementId) || has(row.incrementId))) return "document_number";
  if (entityId !== null && row.entityId === entityId) return "entity_id";
  if (has(row.orderIncrementId)) return "order";
  if (has(row.customerName) || has(row.customerEmail)) return "customer";
  return null;
}

import { db } from "@/lib/db";
import { TOTAL_MISMATCH } from "./verify-posting";

/**
 * Home's "books check" figure (decisions D11): of the postings Ledger checked against Magento in the
 * window — invoices, payments, credit notes that reached Sage — how many Sage holds differently.
 * The window and its start match the sync history's default view, so the link shows the same runs.
 */

export const CHECKED_EVENTS = ["invoice.created", "invoice.paid", "creditmemo.created"] as const;
export const BOOKS_CHECK_DAYS = 7;

export interface BooksCheck {
  days: number;
  checked: number;
  mismatched: number;
}

export async function booksCheckForTenant(tenantId: string, now: Date = new Date()): Promise<BooksCheck> {
  const since = new Date(now.getTime() - BOOKS_CHECK_DAYS * 86_400_000);
  const where = { tenantId, status: "succeeded" as const, event: { in: [...CHECKED_EVENTS] }, createdAt: { gte: since } };
  const [checked, mismatched] = await Promise.all([
    db().syncRun.count({ where }),
    db().syncRun.count({ where: { ...where, warnings: { has: TOTAL_MISMATCH } } }),
  ]);
  return { days: BOOKS_CHECK_DAYS, checked, mismatched };
}

import { z } from "zod";
import { db } from "@/lib/db";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { sageClientForBinding } from "./custody";
import { toSyncError } from "./errors";
import type { SageBankAccount, SageCurrency, SageLedgerAccount, SageTaxRate } from "./schemas";

/**
 * The per-binding reference cache (product-spec §1.3, §1.7): what the settings dropdowns offer and
 * what policy validation checks ids against. Items are stored normalised to the small shapes below,
 * so readers never depend on Sage's full records; refreshed when older than 24 h or on demand.
 */

const refLog = childLog({ component: "sage.reference" });

export const taxRateItem = z.object({ id: z.string(), label: z.string(), percentage: z.number().nullable() });
export const ledgerAccountItem = z.object({ id: z.string(), label: z.string(), nominalCode: z.number().int().nullable() });
export const bankAccountItem = z.object({
  id: z.string(),
  label: z.string(),
  nominalCode: z.number().int().nullable(),
  currency: z.string().nullable(),
  ledgerAccountId: z.string().nullable(),
});
export const currencyItem = z.object({ id: z.string(), label: z.string() });

const KIND_SCHEMAS = {
  tax_rates: taxRateItem,
  sales_ledger_accounts: ledgerAccountItem,
  expense_ledger_accounts: ledgerAccountItem,
  bank_accounts: bankAccountItem,
  currencies: currencyItem,
} as const;
export type ReferenceKind = keyof typeof KIND_SCHEMAS;
export const REFERENCE_KINDS = Object.keys(KIND_SCHEMAS) as ReferenceKind[];

export type ReferenceItems = { [K in ReferenceKind]: z.infer<(typeof KIND_SCHEMAS)[K]>[] };

export type ReferenceData = {
  items: ReferenceItems;
  /** When the oldest of the five lists was fetched (what "Updated 12 min ago" shows). */
  fetchedAt: Date;
  ageSeconds: number;
  /** Set when a due refresh failed and the cached lists are served anyway. */
  refreshError?: string;
};

const taxRate = (t: SageTaxRate) => ({
  id: t.id,
  label: t.displayed_as || t.name || t.id,
  percentage: t.percentage ?? t.percentages?.find((p) => !p.to_date)?.percentage ?? null,
});
const ledgerAccount = (l: SageLedgerAccount) => ({
  id: l.id,
  label: l.displayed_as || l.display_name || l.name || l.id,
  nominalCode: l.nominal_code ?? null,
});
const bankAccount = (b: SageBankAccount) => ({
  id: b.id,
  label: b.displayed_as || b.id,
  nominalCode: b.nominal_code ?? null,
  currency: b.currency?.id ?? null,
  ledgerAccountId: b.ledger_account?.id ?? null,
});
const currency = (c: SageCurrency) => ({ id: c.id, label: c.displayed_as || c.id });

/** Fetches all five lists from Sage (every page) and replaces the binding's cache. */
export async function refreshReferenceData(bindingId: string): Promise<ReferenceData> {
  const client = await sageClientForBinding(bindingId);
  // Sequential: five list calls are cheap, and parallel bursts count against Sage's per-business limit.
  const items: ReferenceItems = {
    tax_rates: (await client.listTaxRates()).filter((t) => t.is_visible !== false).map(taxRate),
    sales_ledger_accounts: (await client.listLedgerAccounts({ visible_in: "sales" })).map(ledgerAccount),
    expense_ledger_accounts: (await client.listLedgerAccounts({ visible_in: "expenses" })).map(ledgerAccount),
    bank_accounts: (await client.listBankAccounts()).filter((b) => !b.deleted_at && b.is_active !== false).map(bankAccount),
    currencies: (await client.listCurrencies()).map(currency),
  };
  const fetchedAt = new Date();
  await db().$transaction(
    REFERENCE_KINDS.map((kind) =>
      db().sageReferenceData.upsert({
        where: { bindingId_kind: { bindingId, kind } },
        create: { bindingId, kind, items: items[kind], fetchedAt },
        update: { items: items[kind], fetchedAt },
      }),
    ),
  );
  refLog.info({ bindingId, counts: Object.fromEntries(REFERENCE_KINDS.map((k) => [k, items[k].length])) }, "reference data refreshed");
  return { items, fetchedAt, ageSeconds: 0 };
}

/** The cached lists if all five are present and readable, else null. */
async function readCache(bindingId: string): Promise<{ items: ReferenceItems; fetchedAt: Date } | null> {
  const rows = await db().sageReferenceData.findMany({ where: { bindingId } });
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  const items: Partial<Record<ReferenceKind, unknown[]>> = {};
  let oldest: Date | null = null;
  for (const kind of REFERENCE_KINDS) {
    const row = byKind.get(kind);
    if (!row) return null;
    const parsed = z.array(KIND_SCHEMAS[kind]).safeParse(row.items);
    if (!parsed.success) return null;
    items[kind] = parsed.data;
    if (!oldest || row.fetchedAt < oldest) oldest = row.fetchedAt;
  }
  return oldest ? { items: items as ReferenceItems, fetchedAt: oldest } : null;
}

/**
 * The binding's reference data, refreshed first when any list is missing or older than `maxAgeHours`.
 * When that refresh fails, a complete older cache is still returned (with `refreshError`), so the
 * settings page stays usable while Sage is down; without any cache the failure is thrown.
 */
export async function getReferenceData(bindingId: string, { maxAgeHours = 24 }: { maxAgeHours?: number } = {}): Promise<ReferenceData> {
  const cached = await readCache(bindingId);
  const now = Date.now();
  if (cached && now - cached.fetchedAt.getTime() <= maxAgeHours * 3600_000) {
    return { ...cached, ageSeconds: Math.floor((now - cached.fetchedAt.getTime()) / 1000) };
  }
  try {
    return await refreshReferenceData(bindingId);
  } catch (e) {
    const err: SyncError = toSyncError(e);
    if (!cached) throw err;
    refLog.warn({ bindingId, syncClass: err.syncClass, err: err.message }, "reference data refresh failed; serving the stale cache");
    return { ...cached, ageSeconds: Math.floor((now - cached.fetchedAt.getTime()) / 1000), refreshError: err.message };
  }
}

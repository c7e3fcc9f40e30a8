import type { ComboOption } from "./combobox";

/**
 * Names for the version history's diff (issue 17 point 9): "Default bank account: Current Account
 * (1200)", not `default_bank_account_id: "9f2c…"`. Ids are looked up in the reference data the
 * editor already holds; a value it does not know (deleted in Sage since) stays as it was saved.
 */

export type ReferenceOptions = { taxRates: ComboOption[]; sales: ComboOption[]; expenses: ComboOption[]; banks: ComboOption[] };

/** `default_bank_account_id` → "Default bank account"; `tax_rate_map["17.50"]` → "Tax rate map 17.50". */
export function settingName(key: string): string {
  const [head, entry] = key.split(/\["?|"?\]$/);
  const words = `${head.replace(/\./g, " › ")}${entry ? ` ${entry}` : ""}`.replace(/_id\b/g, "").replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function listFor(key: string, o: ReferenceOptions): ComboOption[] | null {
  if (/tax_rate/.test(key)) return o.taxRates;
  if (/bank_account|payment_method_map/.test(key)) return o.banks;
  if (/purchase_ledger/.test(key)) return o.expenses;
  if (/ledger_account/.test(key)) return o.sales;
  return null;
}

export function valueName(key: string, value: unknown, o: ReferenceOptions): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value !== "string") return JSON.stringify(value);
  return listFor(key, o)?.find((x) => x.id === value)?.label ?? value;
}

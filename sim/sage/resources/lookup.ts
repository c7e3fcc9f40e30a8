import { SageError, item, type SageErrorItem } from "../http.ts";
import {
  COUNTRIES,
  CURRENCIES,
  TAX_RATES,
  bankAccounts,
  ledgerAccounts,
  type BankAccount,
  type LedgerAccount,
  type TaxRateDef,
} from "../reference.ts";

/** Collects RecordInvalid problems so one response can report several, like Sage does. */
export class Problems {
  readonly items: SageErrorItem[] = [];
  add(source: string, message: string): void {
    // Several lines failing the same way are one error, as Sage's sources carry no line index.
    if (this.items.some((i) => i.$source === source && i.$message === message)) return;
    this.items.push(item("RecordInvalid", message, source));
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new SageError(422, this.items);
  }
}

export const NOT_FOUND_MESSAGE = "Couldn't find record.";

export function taxRate(p: Problems, id: string | undefined, source: string): TaxRateDef | undefined {
  if (id === undefined) return undefined;
  const t = TAX_RATES.find((r) => r.id === id);
  if (!t) p.add(source, NOT_FOUND_MESSAGE);
  return t;
}

/** A ledger account must exist and, when a scope is given, be visible in it (sage-api §6.1). */
export function ledger(
  p: Problems,
  businessId: string,
  id: string | undefined,
  source: string,
  scope?: "sales" | "expenses",
): LedgerAccount | undefined {
  if (id === undefined) return undefined;
  const l = ledgerAccounts(businessId).find((a) => a.id === id);
  if (!l) {
    p.add(source, NOT_FOUND_MESSAGE);
    return undefined;
  }
  if (scope && !l.scopes.includes(scope)) {
    p.add(source, `is not a valid ledger account for ${scope}`);
    return undefined;
  }
  return l;
}

export function bank(p: Problems, businessId: string, id: string, source: string): BankAccount | undefined {
  const b = bankAccounts(businessId).find((a) => a.id === id);
  if (!b) p.add(source, NOT_FOUND_MESSAGE);
  return b;
}

export function currency(p: Problems, id: string | undefined, source: string): string | undefined {
  if (id === undefined) return undefined;
  if (!CURRENCIES.some((c) => c.id === id)) {
    p.add(source, NOT_FOUND_MESSAGE);
    return undefined;
  }
  return id;
}

export function country(p: Problems, id: string | undefined, source: string): string | undefined {
  if (id === undefined) return undefined;
  if (!COUNTRIES.some((c) => c.id === id)) {
    p.add(source, NOT_FOUND_MESSAGE);
    return undefined;
  }
  return id;
}

export const PAYMENT_METHODS = [
  { id: "BANK_TRANSFER", name: "Bank Transfer" },
  { id: "CASH", name: "Cash" },
  { id: "CHECK", name: "Cheque" },
  { id: "CREDIT_DEBIT", name: "Credit/Debit Card" },
  { id: "ALTERNATIVE_PAYMENT", name: "Alternative Payment" },
];

import { z } from "zod";
import { baseRef, optBool, optMoney, optRef, optString, recordIdentity } from "./common";

/** Reference data read to build mappings: tax rates, ledger and bank accounts, currencies, businesses. */

export const taxRateSchema = z.looseObject({
  ...recordIdentity,
  name: optString,
  percentage: optMoney,
  percentages: z.array(z.looseObject({ percentage: optMoney, from_date: optString, to_date: optString })).nullish(),
  is_visible: optBool,
  is_combined_rate: optBool,
  retailer: optBool,
});
export type SageTaxRate = z.infer<typeof taxRateSchema>;

/** `visible_in` values accepted by `GET /ledger_accounts` (sage-api §4.10). */
export const LEDGER_VISIBLE_IN = ["sales", "banking", "expenses", "other_payments", "other_receipts", "journals", "reporting"] as const;
export type LedgerVisibleIn = (typeof LEDGER_VISIBLE_IN)[number];

export const ledgerAccountSchema = z.looseObject({
  ...recordIdentity,
  name: optString,
  display_name: optString,
  nominal_code: z.number().int().nullish(),
  ledger_account_type: optRef,
  tax_rate: optRef,
  visible_scopes: z.array(z.string()).nullish(),
  visible_in_sales: optBool,
  visible_in_expenses: optBool,
  visible_in_banking: optBool,
  is_control_account: optBool,
});
export type SageLedgerAccount = z.infer<typeof ledgerAccountSchema>;

export const bankAccountSchema = z.looseObject({
  ...recordIdentity,
  bank_account_type: optRef,
  ledger_account: optRef,
  currency: optRef,
  default_payment_method: optRef,
  nominal_code: z.number().int().nullish(),
  balance: optMoney,
  is_active: optBool,
  deleted_at: optString,
});
export type SageBankAccount = z.infer<typeof bankAccountSchema>;

/** `GET /currencies` items are plain Base objects; the id is the ISO code. */
export const currencySchema = z.looseObject({
  id: recordIdentity.id,
  displayed_as: recordIdentity.displayed_as,
  $path: recordIdentity.$path,
});
export type SageCurrency = z.infer<typeof currencySchema>;

/** From the separate "User Accounts" Swagger (`/businesses`), not the main document. */
export const businessSchema = z.looseObject({
  ...recordIdentity,
  name: optString,
  country: optRef,
  is_demo: optBool,
});
export type SageBusiness = z.infer<typeof businessSchema>;

/** A singleton: no `id`, no list envelope. */
export const financialSettingsSchema = z.looseObject({
  $path: optString,
  base_currency: baseRef,
  multi_currency_enabled: optBool,
  use_live_exchange_rates: optBool,
  accounting_type: optString,
  sales_tax_calculation: optString,
  tax_scheme: optRef,
  tax_number: optString,
  year_end_date: optString,
  accounts_start_date: optString,
});
export type SageFinancialSettings = z.infer<typeof financialSettingsSchema>;

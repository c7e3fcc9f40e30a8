import { createHash } from "node:crypto";

/**
 * UK reference data every emulated business shares (sage-api §5). Reference ids that Sage makes
 * mnemonic (GB_STANDARD, GBP, CUSTOMER) stay mnemonic; ledger and bank accounts get GUIDs derived
 * from the business id, so they are stable across restarts without being stored.
 */

export type Base = {
  id: string;
  displayed_as: string;
  $path: string;
};

export const base = (collection: string, id: string, displayed_as: string): Base => ({
  id,
  displayed_as,
  $path: `/${collection}/${id}`,
});

export const stableId = (...parts: string[]): string => createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 32);

export interface TaxRateDef {
  id: string;
  name: string;
  percentage: number;
}
export const TAX_RATES: TaxRateDef[] = [
  { id: "GB_STANDARD", name: "Standard", percentage: 20 },
  { id: "GB_LOWER", name: "Lower Rate", percentage: 5 },
  { id: "GB_ZERO", name: "Zero Rated", percentage: 0 },
  { id: "GB_EXEMPT", name: "Exempt", percentage: 0 },
  { id: "GB_NO_TAX", name: "No VAT", percentage: 0 },
];
export const taxRateLabel = (t: TaxRateDef): string => (t.id === "GB_NO_TAX" ? t.name : `${t.name} ${t.percentage.toFixed(2)}%`);

export const CURRENCIES = [
  { id: "GBP", name: "Pound Sterling", symbol: "£" },
  { id: "EUR", name: "Euro", symbol: "€" },
  { id: "USD", name: "US Dollar", symbol: "$" },
];
/** Units of currency per 1 GBP, used when a foreign document omits exchange_rate (D1 direction). */
export const DEFAULT_RATES: Record<string, number> = { GBP: 1, EUR: 1.17, USD: 1.27 };

export const EU_COUNTRIES = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
]);
const COUNTRY_NAMES: Record<string, string> = {
  GB: "United Kingdom",
  IE: "Ireland",
  FR: "France",
  DE: "Germany",
  ES: "Spain",
  NL: "Netherlands",
  BE: "Belgium",
  IT: "Italy",
  AT: "Austria",
  PL: "Poland",
  SE: "Sweden",
  DK: "Denmark",
  PT: "Portugal",
  FI: "Finland",
  LU: "Luxembourg",
  CZ: "Czech Republic",
  GR: "Greece",
  HU: "Hungary",
  RO: "Romania",
  BG: "Bulgaria",
  HR: "Croatia",
  CY: "Cyprus",
  EE: "Estonia",
  LV: "Latvia",
  LT: "Lithuania",
  MT: "Malta",
  SK: "Slovakia",
  SI: "Slovenia",
  US: "United States",
  CA: "Canada",
  AU: "Australia",
  CH: "Switzerland",
  NO: "Norway",
  JE: "Jersey",
  GG: "Guernsey",
  IM: "Isle of Man",
  NZ: "New Zealand",
};
export const COUNTRIES = Object.entries(COUNTRY_NAMES).map(([id, name]) => ({ id, name }));

export const EU_GOODS_SERVICES_TYPES = [
  { id: "GOODS", name: "Goods" },
  { id: "SERVICES", name: "Services" },
];

type Scope = "sales" | "banking" | "expenses" | "other_payments" | "other_receipts" | "journals" | "reporting";
export const VISIBLE_IN: Scope[] = ["sales", "banking", "expenses", "other_payments", "other_receipts", "journals", "reporting"];

interface LedgerDef {
  code: number;
  name: string;
  type: [string, string];
  visible: Scope[];
  control?: string;
  taxRate?: string;
}
const LEDGERS: LedgerDef[] = [
  { code: 1100, name: "Trade Debtors", type: ["CURRENT_ASSETS", "Current Assets"], visible: ["reporting"], control: "Customer Receipts" },
  { code: 1200, name: "Current", type: ["BANK", "Bank"], visible: ["banking", "reporting"] },
  { code: 1210, name: "Savings", type: ["BANK", "Bank"], visible: ["banking", "reporting"] },
  { code: 1230, name: "Petty Cash", type: ["BANK", "Bank"], visible: ["banking", "reporting"] },
  { code: 1240, name: "Card Payments Clearing", type: ["BANK", "Bank"], visible: ["banking", "reporting"] },
  {
    code: 2100,
    name: "Trade Creditors",
    type: ["CURRENT_LIABILITY", "Current Liabilities"],
    visible: ["reporting"],
    control: "Vendor Payments",
  },
  {
    code: 2200,
    name: "Sales Tax Control Account",
    type: ["CURRENT_LIABILITY", "Current Liabilities"],
    visible: ["reporting"],
    control: "Sales Tax",
  },
  {
    code: 4000,
    name: "Sales - Products",
    type: ["SALES", "Sales"],
    visible: ["sales", "other_receipts", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 4010,
    name: "Sales - Services",
    type: ["SALES", "Sales"],
    visible: ["sales", "other_receipts", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 4020,
    name: "Sales - Other",
    type: ["SALES", "Sales"],
    visible: ["sales", "other_receipts", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 4900,
    name: "Miscellaneous Income",
    type: ["OTHER_INCOME", "Other Income"],
    visible: ["sales", "other_receipts", "journals", "reporting"],
  },
  {
    code: 4905,
    name: "Distribution and Carriage",
    type: ["SALES", "Sales"],
    visible: ["sales", "other_receipts", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 5000,
    name: "Cost of sales - goods",
    type: ["DIRECT_EXPENSES", "Direct Expenses"],
    visible: ["expenses", "other_payments", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 5010,
    name: "Cost of sales - services",
    type: ["DIRECT_EXPENSES", "Direct Expenses"],
    visible: ["expenses", "other_payments", "journals", "reporting"],
    taxRate: "GB_STANDARD",
  },
  {
    code: 5100,
    name: "Carriage Inwards",
    type: ["DIRECT_EXPENSES", "Direct Expenses"],
    visible: ["expenses", "other_payments", "journals", "reporting"],
  },
  {
    code: 7900,
    name: "Bank charges and interest",
    type: ["OVERHEADS", "Overheads"],
    visible: ["expenses", "other_payments", "journals", "reporting"],
    taxRate: "GB_EXEMPT",
  },
];

export interface LedgerAccount extends Base {
  nominal_code: number;
  name: string;
  scopes: Scope[];
  record: Record<string, unknown>;
}

export function ledgerAccounts(businessId: string): LedgerAccount[] {
  return LEDGERS.map((l) => {
    const id = stableId(businessId, "ledger", String(l.code));
    const b = base("ledger_accounts", id, `${l.name} (${l.code})`);
    const flags = Object.fromEntries(VISIBLE_IN.map((s) => [`visible_in_${s}`, l.visible.includes(s)]));
    return {
      ...b,
      nominal_code: l.code,
      name: l.name,
      scopes: l.visible,
      record: {
        ...b,
        ledger_account_type: { id: l.type[0], displayed_as: l.type[1], $path: `/ledger_account_types/${l.type[0]}` },
        included_in_chart: true,
        name: l.name,
        display_name: l.name,
        ...flags,
        nominal_code: l.code,
        ledger_account_classification: null,
        tax_rate: l.taxRate ? taxRateBase(l.taxRate) : null,
        fixed_tax_rate: false,
        is_control_account: Boolean(l.control),
        control_name: l.control ?? null,
        display_formatted: `${l.code} - ${l.name}`,
        tax_recoverable: true,
      },
    };
  });
}

export const taxRateBase = (id: string): Base => {
  const t = TAX_RATES.find((r) => r.id === id);
  return base("tax_rates", id, t ? taxRateLabel(t) : id);
};
export const currencyBase = (id: string): Base => {
  const c = CURRENCIES.find((x) => x.id === id);
  return base("currencies", id, c ? `${c.name} (${c.id})` : id);
};
export const countryBase = (id: string): Base => base("countries", id, `${COUNTRY_NAMES[id] ?? id} (${id})`);

interface BankDef {
  code: number;
  name: string;
  type: [string, string];
  currency: string;
  method: string;
}
const BANKS: BankDef[] = [
  { code: 1200, name: "Current", type: ["CHECKING", "Current"], currency: "GBP", method: "BANK_TRANSFER" },
  { code: 1210, name: "Savings", type: ["SAVINGS", "Savings"], currency: "GBP", method: "BANK_TRANSFER" },
  { code: 1230, name: "Petty Cash", type: ["CASH_IN_HAND", "Cash in Hand"], currency: "GBP", method: "CASH" },
  { code: 1240, name: "Card Payments Clearing", type: ["OTHER", "Other"], currency: "GBP", method: "CREDIT_DEBIT" },
];

export interface BankAccount extends Base {
  record: Record<string, unknown>;
}

export function bankAccounts(businessId: string): BankAccount[] {
  return BANKS.map((bk) => {
    const id = stableId(businessId, "bank", String(bk.code));
    const b = base("bank_accounts", id, `${bk.name} (${bk.code})`);
    const ledger = base("ledger_accounts", stableId(businessId, "ledger", String(bk.code)), `${bk.name} (${bk.code})`);
    return {
      ...b,
      record: {
        ...b,
        bank_account_details: {
          account_name: bk.name,
          account_number: String(10_000_000 + bk.code),
          sort_code: "40-11-62",
          bic: null,
          iban: null,
        },
        ledger_account: ledger,
        bank_account_type: { id: bk.type[0], displayed_as: bk.type[1], $path: `/bank_account_types/${bk.type[0]}` },
        nominal_code: bk.code,
        editable: true,
        deletable: false,
        currency: currencyBase(bk.currency),
        default_payment_method: base("payment_methods", bk.method, bk.method),
      },
    };
  });
}

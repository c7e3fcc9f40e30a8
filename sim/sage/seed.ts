import { base, countryBase, currencyBase } from "./reference.ts";

/** Subscription tier, shown on the business (sage-api §3.3). */
export type Tier = "accounting_plus" | "accounting_standard" | "accounting_start";

export interface BusinessSeed {
  id: string;
  name: string;
  tier: Tier;
  address: { address_line_1: string; city: string; postal_code: string; country_id: string };
  baseCurrency: string;
}

/**
 * The emulated user's businesses are code, not rows: they never change, and their documents live
 * in `sage_emu.records` keyed by these fixed ids (so demos, tests and Ledger's config can name them).
 */
export const DEMO_BUSINESS_ID = "4d1c2a6b8f3e4a0c9b7d5e1f2a3b4c5d";
export const SECOND_BUSINESS_ID = "7e2f9c1d3b5a4e6f8091a2b3c4d5e6f7";

export const BUSINESSES: BusinessSeed[] = [
  {
    id: DEMO_BUSINESS_ID,
    name: "Ledger Demo Ltd",
    tier: "accounting_plus",
    address: { address_line_1: "1 High Street", city: "London", postal_code: "EC1A 1BB", country_id: "GB" },
    baseCurrency: "GBP",
  },
  {
    id: SECOND_BUSINESS_ID,
    name: "Second Shop Ltd",
    tier: "accounting_standard",
    address: { address_line_1: "22 Mill Lane", city: "Leeds", postal_code: "LS1 4AP", country_id: "GB" },
    baseCurrency: "GBP",
  },
];

const TIER_LABEL: Record<Tier, string> = {
  accounting_plus: "Accounting Plus",
  accounting_standard: "Accounting Standard",
  accounting_start: "Accounting Start",
};

/** The Business object of Sage's "User Accounts" document. */
export function businessRecord(b: BusinessSeed): Record<string, unknown> {
  const created = "2024-01-01T09:00:00Z";
  return {
    ...base("businesses", b.id, b.name),
    name: b.name,
    address_line_1: b.address.address_line_1,
    address_line_2: null,
    city: b.address.city,
    postal_code: b.address.postal_code,
    region: null,
    country: countryBase(b.address.country_id),
    telephone: null,
    mobile: null,
    website: null,
    is_demo: true,
    ni_based: false,
    subscriptions: [{ id: b.tier, displayed_as: TIER_LABEL[b.tier], active: true, status: "active" }],
    created_at: created,
    updated_at: created,
  };
}

export function financialSettings(b: BusinessSeed): Record<string, unknown> {
  return {
    $path: "/financial_settings",
    year_end_date: "2026-12-31",
    year_end_lockdown_date: null,
    accounting_type: "accrual",
    accounts_start_date: "2024-01-01",
    base_currency: currencyBase(b.baseCurrency),
    multi_currency_enabled: true,
    use_live_exchange_rates: false,
    mtd_activation_status: "active",
    mtd_connected: false,
    mtd_authenticated_date: null,
    tax_return_frequency: { id: "QUARTERLY", displayed_as: "Quarterly", $path: "/tax_return_frequencies/QUARTERLY" },
    tax_number: "GB123456789",
    general_tax_number: null,
    tax_office: null,
    default_irpf_rate: null,
    flat_rate_tax_percentage: null,
    recoverable_percentage: null,
    sales_tax_calculation: "invoice",
    purchase_tax_calculation: "invoice",
    tax_scheme: { id: "STANDARD", displayed_as: "Standard", $path: "/tax_schemes/STANDARD" },
  };
}

export const businessSeed = (id: string): BusinessSeed | undefined => BUSINESSES.find((b) => b.id === id);

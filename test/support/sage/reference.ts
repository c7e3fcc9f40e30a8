import type { ReferenceItems } from "@/lib/sage/reference-data";

/** Test-only: a small UK Sage business's reference lists, as lib/sage/reference-data.ts caches them (no I/O here, so e2e seeding can use it too). */
export const REFERENCE: ReferenceItems = {
  tax_rates: [
    { id: "GB_STANDARD", label: "Standard 20.00%", percentage: 20 },
    { id: "GB_LOWER", label: "Lower Rate 5.00%", percentage: 5 },
    { id: "GB_ZERO", label: "Zero Rated 0.00%", percentage: 0 },
    { id: "GB_EXEMPT", label: "Exempt", percentage: null },
  ],
  sales_ledger_accounts: [
    { id: "LA_4000", label: "4000 Sales Type A", nominalCode: 4000 },
    { id: "LA_4010", label: "4010 Sales Type B", nominalCode: 4010 },
  ],
  expense_ledger_accounts: [{ id: "LA_5000", label: "5000 Cost of sales - goods", nominalCode: 5000 }],
  bank_accounts: [
    { id: "BA_CURRENT", label: "Current Account (1200)", nominalCode: 1200, currency: "GBP", ledgerAccountId: "LA_1200" },
    { id: "BA_STRIPE", label: "Stripe (1210)", nominalCode: 1210, currency: "GBP", ledgerAccountId: "LA_1210" },
  ],
  currencies: [{ id: "GBP", label: "Pound Sterling" }],
};

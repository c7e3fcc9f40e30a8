import type { ApiContext, Route } from "../context.ts";
import { SCHEMA } from "../db.ts";
import { notFound } from "../http.ts";
import { listArray, selectAttributes } from "../listing.ts";
import { money } from "../money.ts";
import {
  COUNTRIES,
  CURRENCIES,
  EU_GOODS_SERVICES_TYPES,
  TAX_RATES,
  VISIBLE_IN,
  bankAccounts,
  base,
  countryBase,
  currencyBase,
  ledgerAccounts,
  taxRateLabel,
} from "../reference.ts";
import { financialSettings } from "../seed.ts";
import type { Json } from "../store.ts";
import { PAYMENT_METHODS } from "./lookup.ts";

/** Read-only reference data (sage-api §4.10), served from code with the usual list envelope. */

const taxRates = (): Json[] =>
  TAX_RATES.map((t) => ({
    ...base("tax_rates", t.id, taxRateLabel(t)),
    name: t.name,
    agency: null,
    percentage: money(t.percentage),
    percentages: [{ percentage: money(t.percentage), from_date: "1900-01-01", to_date: null }],
    is_visible: true,
    retailer: false,
    editable: false,
    deletable: false,
    is_combined_rate: false,
    component_tax_rates: [],
  }));

/** Bank balance = receipts − refunds posted to it; enough for a demo to see money land. */
async function bankRecords(ctx: ApiContext): Promise<Json[]> {
  const res = await ctx.db.query(
    `SELECT data->'bank_account'->>'id' AS id,
            sum(CASE WHEN data->'transaction_type'->>'id' IN ('CUSTOMER_RECEIPT','VENDOR_REFUND')
                     THEN (data->>'base_currency_total_amount')::numeric
                     ELSE -(data->>'base_currency_total_amount')::numeric END) AS balance
       FROM ${SCHEMA}.records WHERE business_id = $1 AND kind = 'contact_payments' AND deleted_at IS NULL GROUP BY 1`,
    [ctx.business.id],
  );
  const balances = new Map(res.rows.map((r) => [r.id as string, Number(r.balance)]));
  return bankAccounts(ctx.business.id).map((b) => ({ ...b.record, balance: money(balances.get(b.id) ?? 0) }));
}

function ledgerRecords(ctx: ApiContext): Json[] {
  const q = ctx.req.url.searchParams;
  const visibleIn = q.get("visible_in");
  const type = q.get("ledger_account_type_id");
  const search = q.get("search")?.toLowerCase();
  return ledgerAccounts(ctx.business.id)
    .filter((l) => !visibleIn || (VISIBLE_IN.includes(visibleIn as never) && l.scopes.includes(visibleIn as never)))
    .filter((l) => !type || (l.record.ledger_account_type as Json).id === type)
    .filter((l) => !search || l.name.toLowerCase().includes(search) || String(l.nominal_code).includes(search))
    .map((l) => l.record);
}

type Source = (ctx: ApiContext) => Json[] | Promise<Json[]>;

const SOURCES: Record<string, Source> = {
  tax_rates: taxRates,
  ledger_accounts: ledgerRecords,
  bank_accounts: bankRecords,
  currencies: () => CURRENCIES.map((c) => ({ ...currencyBase(c.id), name: c.name, symbol: c.symbol })),
  countries: () => COUNTRIES.map((c) => ({ ...countryBase(c.id), name: c.name })),
  eu_goods_services_types: () => EU_GOODS_SERVICES_TYPES.map((t) => base("eu_goods_services_types", t.id, t.name)),
  payment_methods: () => PAYMENT_METHODS.map((m) => base("payment_methods", m.id, m.name)),
  contact_types: () => [base("contact_types", "CUSTOMER", "Customer"), base("contact_types", "VENDOR", "Supplier")],
};

export const referenceRoutes: Route[] = [
  ...Object.entries(SOURCES).flatMap(([name, source]): Route[] => [
    {
      method: "GET",
      pattern: `/${name}`,
      handler: async (ctx) => ({ status: 200, body: listArray(`/${name}`, ctx.req.url.searchParams, await source(ctx)) }),
    },
    {
      method: "GET",
      pattern: `/${name}/:id`,
      handler: async (ctx, p) => {
        // Lookup by id ignores list filters such as visible_in.
        const all = name === "ledger_accounts" ? ledgerAccounts(ctx.business.id).map((l) => l.record) : await source(ctx);
        const found = all.find((r) => r.id === p.id);
        if (!found) throw notFound();
        return { status: 200, body: selectAttributes(found, ctx.req.url.searchParams.get("attributes"), true) };
      },
    },
  ]),
  { method: "GET", pattern: "/financial_settings", handler: async (ctx) => ({ status: 200, body: financialSettings(ctx.business) }) },
];

"use client";

import { settingHints } from "./hints";
import Link from "next/link";
import { mapEntryKey } from "@/lib/policy/field-errors";
import { canonicalTaxKey } from "@/lib/policy/schema";
import type { CardProps } from "./card-props";
import { Combobox } from "./combobox";
import { RemoveRowButton, SettingsCard, TextInput, Toggle } from "./controls";
import { newRowId, type MethodRow } from "./draft";

/** The first four cards of product-spec §1.3: what syncs, and where it lands in Sage. */

/** "Included from the Growth plan; this workspace is on Trial · See plans" — which plan unlocks a gated setting. */
function PlanHint({ from, current }: { from: string; current: string }) {
  return (
    <span data-testid="plan-hint">
      Included from the {from} plan; this workspace is on {current}.{" "}
      <Link href="/dashboard/plan" className="font-medium text-accent hover:underline">
        See plans
      </Link>
    </span>
  );
}

export function SyncBehaviourCard({ draft, update, err, disabled, plan }: CardProps) {
  return (
    <SettingsCard
      id="sync-behaviour"
      title="Sync Behaviour"
      description="Which Magento events become Sage documents. Skipped events stay visible in Sync history with their reason."
    >
      <Toggle
        label="Sync unpaid invoices"
        hint={settingHints.syncUnpaid(draft.sync_unpaid_invoices)}
        checked={draft.sync_unpaid_invoices}
        onChange={(v) => update({ sync_unpaid_invoices: v })}
        disabled={disabled}
        error={err("sync_unpaid_invoices")}
      />
      <Toggle
        label="Sync zero-value invoices"
        hint={settingHints.syncZeroValue(draft.sync_zero_value_invoices)}
        checked={draft.sync_zero_value_invoices}
        onChange={(v) => update({ sync_zero_value_invoices: v })}
        disabled={disabled}
        error={err("sync_zero_value_invoices")}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextInput
          label="Sync documents created since"
          type="date"
          hint={settingHints.syncSince(draft.sync_since)}
          value={draft.sync_since}
          onChange={(v) => update({ sync_since: v })}
          disabled={disabled}
          error={err("sync_since")}
        />
        <TextInput
          label="Only these website ids"
          placeholder="all websites"
          hint="Comma-separated; empty = all."
          value={draft.website_filter}
          onChange={(v) => update({ website_filter: v })}
          disabled={disabled}
          error={err("website_filter")}
        />
        <TextInput
          label="Only these store view ids"
          placeholder="all store views"
          hint="Combined with websites (both must match)."
          value={draft.store_filter}
          onChange={(v) => update({ store_filter: v })}
          disabled={disabled}
          error={err("store_filter")}
        />
      </div>
      <Toggle
        label="Sync products"
        hint={
          <>
            Simple products become Sage products, virtual and downloadable ones services; only the price syncs.{" "}
            {plan.products ? null : <PlanHint from={plan.productsFrom} current={plan.label} />}
          </>
        }
        checked={draft.sync_products}
        onChange={(v) => update({ sync_products: v })}
        disabled={disabled}
        error={err("sync_products")}
      />
      <Toggle
        label="Sync stock"
        hint={
          <>
            Managed-stock simple products become stock items, reconciled with stock movements. Needs product sync.{" "}
            {plan.stock ? null : <PlanHint from={plan.stockFrom} current={plan.label} />}
          </>
        }
        checked={draft.sync_stock}
        onChange={(v) => update({ sync_stock: v })}
        disabled={disabled}
        error={err("sync_stock")}
      />
    </SettingsCard>
  );
}

export function DefaultMappingsCard({ draft, update, err, disabled, options }: CardProps) {
  return (
    <SettingsCard
      id="default-mappings"
      title="Default Mappings"
      description="Where lines, payments and products land in Sage when nothing more specific applies. The lists come from your Sage business."
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Combobox
          label="Default tax rate"
          value={draft.default_tax_rate_id}
          options={options.taxRates}
          onChange={(v) => update({ default_tax_rate_id: v })}
          disabled={disabled}
          error={err("default_tax_rate_id")}
        />
        <Combobox
          label="Sales ledger account"
          value={draft.default_ledger_account_id}
          options={options.sales}
          onChange={(v) => update({ default_ledger_account_id: v })}
          disabled={disabled}
          error={err("default_ledger_account_id")}
        />
        <Combobox
          label="Default bank account"
          value={draft.default_bank_account_id}
          options={options.banks}
          noneLabel="None — unmapped methods stay unpaid"
          onChange={(v) => update({ default_bank_account_id: v })}
          disabled={disabled}
          error={err("default_bank_account_id")}
        />
        <Combobox
          label="Purchase ledger account"
          value={draft.default_purchase_ledger_account_id}
          options={options.expenses}
          noneLabel="None"
          onChange={(v) => update({ default_purchase_ledger_account_id: v })}
          disabled={disabled}
          error={err("default_purchase_ledger_account_id")}
        />
      </div>
      <p className="text-xs text-muted">
        The purchase account is required while product sync is on: Sage asks for one on every product, even sales-only ones.
      </p>
    </SettingsCard>
  );
}

export function PaymentMethodsCard({ draft, update, err, disabled, options, methodsLive }: CardProps) {
  const setRow = (rowId: string, patch: Partial<MethodRow>) =>
    update({ methodRows: draft.methodRows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)) });
  const choices = [{ id: "__unmapped", label: "Unmapped — use the default bank account" }, ...options.banks];
  return (
    <SettingsCard
      id="payment-methods"
      title="Payment Method Map"
      description="When Magento marks an invoice paid, which Sage bank account receives the payment. Map capture-at-invoice methods (cards, PayPal, Klarna); leave offline methods (check, bank transfer) unmapped."
    >
      {draft.methodRows.length === 0 ? (
        <p className="text-muted">{methodsLive ? "Magento lists no payment methods." : "No methods mapped yet."}</p>
      ) : null}
      <ul className="divide-y divide-line rounded-md border border-line">
        {draft.methodRows.map((r) => {
          const e = err(mapEntryKey("payment_method_map", r.code.trim()));
          const value = r.bankId === undefined ? "__unmapped" : r.bankId;
          return (
            <li key={r.rowId} className="grid items-start gap-3 px-3 py-2 sm:grid-cols-[1fr_1.4fr_auto]">
              {r.live ? (
                <div className="py-2">
                  <div className="font-medium">{r.label ?? r.code}</div>
                  <div className="font-mono text-xs text-muted">{r.code}</div>
                </div>
              ) : (
                <TextInput
                  label="Magento method code"
                  hideLabel
                  placeholder="method code, e.g. stripe_payments"
                  value={r.code}
                  onChange={(v) => setRow(r.rowId, { code: v })}
                  disabled={disabled}
                />
              )}
              <Combobox
                label={`Bank account for ${r.label ?? (r.code || "new method")}`}
                hideLabel
                value={value}
                options={choices}
                noneLabel="None — never auto-pay"
                onChange={(v) => setRow(r.rowId, { bankId: v === "__unmapped" ? undefined : v })}
                disabled={disabled}
                error={e}
              />
              {r.live ? (
                <span />
              ) : (
                <RemoveRowButton
                  label={`Remove ${r.code || "row"}`}
                  onClick={() => update({ methodRows: draft.methodRows.filter((x) => x.rowId !== r.rowId) })}
                  disabled={disabled}
                />
              )}
            </li>
          );
        })}
      </ul>
      {!methodsLive ? (
        <button
          type="button"
          disabled={disabled}
          onClick={() =>
            update({ methodRows: [...draft.methodRows, { rowId: newRowId(), code: "", label: null, live: false, bankId: null }] })
          }
          className="text-sm font-medium text-accent hover:underline disabled:opacity-50"
        >
          + Add method
        </button>
      ) : null}
    </SettingsCard>
  );
}

export function TaxRatesCard({ draft, update, err, disabled, options }: CardProps) {
  const rowError = (pct: string) => err(mapEntryKey("tax_rate_map", pct)) ?? err(mapEntryKey("tax_rate_map", canonicalTaxKey(pct) ?? pct));
  return (
    <SettingsCard
      id="tax-rates"
      title="Tax Rate Routing"
      description="Magento's applied tax percentage on a line → the Sage tax rate. Percentages not listed use the default tax rate; cross-border documents always use GB_ZERO."
    >
      <ul className="space-y-2">
        {draft.taxRows.map((r) => (
          <li key={r.rowId} className="grid items-start gap-3 sm:grid-cols-[8rem_1fr_auto]">
            <TextInput
              label="Magento %"
              hideLabel
              placeholder="20.00"
              value={r.pct}
              onChange={(v) => update({ taxRows: draft.taxRows.map((x) => (x.rowId === r.rowId ? { ...x, pct: v } : x)) })}
              disabled={disabled}
            />
            <Combobox
              label={`Sage rate for ${r.pct || "new row"}%`}
              hideLabel
              value={r.rateId}
              options={options.taxRates}
              onChange={(v) => update({ taxRows: draft.taxRows.map((x) => (x.rowId === r.rowId ? { ...x, rateId: v } : x)) })}
              disabled={disabled}
              error={rowError(r.pct)}
            />
            <RemoveRowButton
              label={`Remove ${r.pct || "row"}%`}
              onClick={() => update({ taxRows: draft.taxRows.filter((x) => x.rowId !== r.rowId) })}
              disabled={disabled}
            />
          </li>
        ))}
      </ul>
      <button
        type="button"
        disabled={disabled}
        onClick={() => update({ taxRows: [...draft.taxRows, { rowId: newRowId(), pct: "", rateId: null }] })}
        className="text-sm font-medium text-accent hover:underline disabled:opacity-50"
      >
        + Add mapping
      </button>
    </SettingsCard>
  );
}

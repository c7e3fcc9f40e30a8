"use client";

import { settingHints } from "./hints";
import { mapEntryKey } from "@/lib/policy/field-errors";
import { EU_TYPES } from "@/lib/policy/schema";
import type { CardProps } from "./card-props";
import { Choice, RemoveRowButton, SettingsCard, TextInput, Toggle } from "./controls";
import { newRowId, type Draft } from "./draft";

/** The last three cards of product-spec §1.3: how documents and contacts look in Sage. */

const EU_OPTIONS = EU_TYPES.map((v) => ({ value: v, label: v === "GOODS" ? "Goods" : "Services" }));

export function CommercialCard({ draft, update, err, disabled }: CardProps) {
  return (
    <SettingsCard id="commercial" title="Commercial" description="How invoices, credit notes and contacts are named in Sage.">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextInput
          label="Invoice number prefix"
          placeholder="none"
          hint={settingHints.invoicePrefix(draft.invoice_number_prefix)}
          value={draft.invoice_number_prefix}
          onChange={(v) => update({ invoice_number_prefix: v })}
          disabled={disabled}
          error={err("invoice_number_prefix")}
        />
        <Choice
          label="Contact name when both company and person are known"
          value={draft.customer_name_priority}
          options={[
            { value: "Company", label: "Company (person as the contact person)" },
            { value: "Person", label: "Person (company on the address)" },
          ]}
          onChange={(v) => update({ customer_name_priority: v })}
          disabled={disabled}
          error={err("customer_name_priority")}
        />
      </div>
    </SettingsCard>
  );
}

export function MultiCurrencyCard({ draft, update, err, disabled }: CardProps) {
  const setRow = (rowId: string, patch: Partial<Draft["typeRows"][number]>) =>
    update({ typeRows: draft.typeRows.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)) });
  return (
    <SettingsCard
      id="multi-currency"
      title="Multi-currency"
      description="Currency, exchange rate and one contact per currency are automatic. For cross-border (EU) documents Sage needs every line marked as goods or services."
    >
      <div className="max-w-xs">
        <Choice
          label="Default for cross-border lines"
          value={draft.default_eu_goods_services_type}
          options={EU_OPTIONS}
          onChange={(v) => update({ default_eu_goods_services_type: v })}
          disabled={disabled}
          error={err("default_eu_goods_services_type")}
        />
      </div>
      <div className="space-y-2">
        <div className="text-xs font-medium text-muted">Per Magento product type</div>
        <ul className="space-y-2">
          {draft.typeRows.map((r) => (
            <li key={r.rowId} className="grid items-start gap-3 sm:grid-cols-[1fr_12rem_auto]">
              <TextInput
                label="Product type"
                hideLabel
                placeholder="product type id"
                value={r.type}
                onChange={(v) => setRow(r.rowId, { type: v })}
                disabled={disabled}
                error={err(mapEntryKey("product_type_eu_goods_map", r.type.trim()))}
              />
              <Choice
                label={`Goods or services for ${r.type || "new type"}`}
                hideLabel
                value={r.value as (typeof EU_TYPES)[number]}
                options={EU_OPTIONS}
                onChange={(v) => setRow(r.rowId, { value: v })}
                disabled={disabled}
              />
              <RemoveRowButton
                label={`Remove ${r.type || "row"}`}
                onClick={() => update({ typeRows: draft.typeRows.filter((x) => x.rowId !== r.rowId) })}
                disabled={disabled}
              />
            </li>
          ))}
        </ul>
        <button
          type="button"
          disabled={disabled}
          onClick={() => update({ typeRows: [...draft.typeRows, { rowId: newRowId(), type: "", value: "GOODS" }] })}
          className="text-sm font-medium text-accent hover:underline disabled:opacity-50"
        >
          + Add product type
        </button>
      </div>
    </SettingsCard>
  );
}

export function B2cCard({ draft, update, err, disabled }: CardProps) {
  const b = draft.b2c;
  const set = (patch: Partial<Draft["b2c"]>) => update({ b2c: { ...b, ...patch } });
  const e = (k: string) => err(`b2c_consolidation.${k}`);
  return (
    <SettingsCard
      id="b2c"
      title="B2C Consolidation"
      description="Post guest and one-off consumer invoices to one shared Sage contact per currency instead of creating a contact per shopper. Changes apply to new documents only."
    >
      <Toggle
        label="Consolidate consumer sales"
        checked={b.enabled}
        onChange={(v) => set({ enabled: v })}
        disabled={disabled}
        error={e("enabled")}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextInput
          label="Shared contact name"
          value={b.fallback_contact_name}
          onChange={(v) => set({ fallback_contact_name: v })}
          disabled={disabled}
          error={e("fallback_contact_name")}
        />
        <TextInput
          label="Shared contact email"
          type="email"
          value={b.fallback_contact_email}
          onChange={(v) => set({ fallback_contact_email: v })}
          disabled={disabled}
          error={e("fallback_contact_email")}
        />
        <TextInput
          label="Shared contact reference"
          hint={settingHints.sharedReference(b.fallback_contact_reference)}
          value={b.fallback_contact_reference}
          onChange={(v) => set({ fallback_contact_reference: v })}
          disabled={disabled}
          error={e("fallback_contact_reference")}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextInput
          label="Individual contact from order total"
          type="number"
          hint={settingHints.individualFrom(b.min_total_for_individual)}
          value={b.min_total_for_individual}
          onChange={(v) => set({ min_total_for_individual: v })}
          disabled={disabled}
          error={e("min_total_for_individual")}
        />
        <div className="sm:col-span-2 sm:pt-5">
          <Toggle
            label="Always an individual contact for companies"
            hint="Orders with a company name never go to the shared contact."
            checked={b.always_individual_for_b2b}
            onChange={(v) => set({ always_individual_for_b2b: v })}
            disabled={disabled}
            error={e("always_individual_for_b2b")}
          />
        </div>
      </div>
    </SettingsCard>
  );
}

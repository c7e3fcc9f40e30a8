import type { SyncErrorClass } from "@/lib/errors";
import type { SkipReason } from "@/lib/policy/evaluate";

/**
 * What a person should do about a skip reason, an error class or a warning (issue 17, ui.md
 * "Behaviour"): codes are for machines, people see a sentence and, where one exists, a link to the
 * fix — a settings card, Reconnect Sage, or Magento's side. Browser-safe (no server imports): the
 * history, the run drawer, the chips' tooltips and the Invoices view all read this one table, and
 * vocabulary.ts takes its meanings from it (so nothing is imported from there: no import cycle).
 */

/** Where the fix lives. `setting` names a card id of the settings page (components/settings). */
export type FixTarget =
  { kind: "setting"; card: SettingsCard } | { kind: "reconnect_sage" } | { kind: "magento"; where: string } | { kind: "sage_document" };

export const SETTINGS_CARDS = {
  "sync-behaviour": "Sync Behaviour",
  "default-mappings": "Default Mappings",
  "payment-methods": "Payment Method Map",
  "tax-rates": "Tax Rate Routing",
  commercial: "Commercial",
  "multi-currency": "Multi-currency",
  b2c: "B2C Consolidation",
} as const;
export type SettingsCard = keyof typeof SETTINGS_CARDS;

export interface Fix {
  /** one plain sentence: what happened and whether anything needs doing */
  sentence: string;
  /** the link's words, e.g. "Map it" */
  action: string | null;
  target: FixTarget | null;
}

/** The warnings restated (vocabulary.ts reads its sentences from here, so it cannot be imported back). */
type RunWarning = "total_mismatch" | "mixed_eu_goods_services_coerced_to_default";
type Code = SkipReason | SyncErrorClass | RunWarning;

const setting = (card: SettingsCard): FixTarget => ({ kind: "setting", card });

export const FIXES: Record<Code, Fix> = {
  // skip reasons (D3)
  unpaid_invoice: {
    sentence: "Not sent: the invoice is unpaid and this binding only sends paid invoices. It will go when Magento marks it paid.",
    action: "Send unpaid invoices too",
    target: setting("sync-behaviour"),
  },
  zero_value_invoice: {
    sentence: "Not sent: the invoice totals zero and this binding skips zero-value invoices.",
    action: "Change it",
    target: setting("sync-behaviour"),
  },
  outside_sync_since: {
    sentence: "Not sent: the document is older than the binding's “sync since” date, so it is left to your books as they were.",
    action: "Move the date",
    target: setting("sync-behaviour"),
  },
  website_filtered: {
    sentence: "Not sent: it belongs to a Magento website this binding does not sync.",
    action: "Choose websites",
    target: setting("sync-behaviour"),
  },
  store_filtered: {
    sentence: "Not sent: it belongs to a Magento store view this binding does not sync.",
    action: "Choose store views",
    target: setting("sync-behaviour"),
  },
  products_sync_disabled: {
    sentence: "Not sent: product sync is switched off for this binding.",
    action: "Switch it on",
    target: setting("sync-behaviour"),
  },
  stock_sync_disabled: {
    sentence: "Not sent: stock sync is switched off for this binding, so stock levels stay as Sage has them.",
    action: "Switch it on",
    target: setting("sync-behaviour"),
  },
  product_type_not_supported: {
    sentence:
      "Nothing to do: configurable, bundle and grouped products have no Sage equivalent, so their simple products are sent instead.",
    action: null,
    target: null,
  },
  payment_method_not_mapped: {
    sentence:
      "Payment not posted: this payment method has no Sage bank account (it is set to “don't post payments”, or unmapped with no default), so Sage still shows the invoice as unpaid.",
    action: "Map it",
    target: setting("payment-methods"),
  },
  // error classes (D3)
  auth: {
    sentence: "Sage refused Ledger's sign-in: the connection has expired or was revoked. Reconnect Sage, then retry.",
    action: "Reconnect Sage",
    target: { kind: "reconnect_sage" },
  },
  not_found: {
    sentence:
      "Something this document needs no longer exists: it was deleted in Magento, or it points at a Sage record that was deleted. Check it there, then retry.",
    action: "Check in Magento",
    target: { kind: "magento", where: "the document in Magento's admin" },
  },
  validation: {
    sentence:
      "Sage refused a value from your settings (a tax rate, ledger or bank account it no longer has). Pick a current one, then retry.",
    action: "Check the mappings",
    target: setting("default-mappings"),
  },
  rate_limited: {
    sentence: "Sage asked Ledger to slow down. Nothing to do: Ledger waits and tries again by itself.",
    action: null,
    target: null,
  },
  provider: {
    sentence: "Sage refused the document and said why (below). Fix what it names, then retry.",
    action: null,
    target: null,
  },
  http: {
    sentence: "Sage or Magento could not be reached, or had an error of its own. This is usually temporary: retry in a few minutes.",
    action: null,
    target: null,
  },
  database: {
    sentence: "Ledger could not save the result. Nothing reached your books twice; retrying is safe.",
    action: null,
    target: null,
  },
  serde: {
    sentence: "Sage or Magento sent an answer Ledger could not read. Retrying is safe; if it keeps happening, contact support.",
    action: null,
    target: null,
  },
  internal: {
    sentence: "Something went wrong inside Ledger. Retrying is safe; if it keeps happening, contact support.",
    action: null,
    target: null,
  },
  // warnings (D11)
  total_mismatch: {
    sentence:
      "Posted, but a figure Sage holds differs from Magento's, so your books no longer agree with the store. Check the document in Sage.",
    action: "Open in Sage",
    target: { kind: "sage_document" },
  },
  mixed_eu_goods_services_coerced_to_default: {
    sentence: "Posted with one EU goods/services type for every line, because Sage allows only one per document.",
    action: "Check the default type",
    target: setting("multi-currency"),
  },
};

const FIELD_RULES: [RegExp, SettingsCard][] = [
  [/tax_rate/, "tax-rates"],
  [/bank_account|payment/, "payment-methods"],
  [/ledger_account/, "default-mappings"],
  [/contact/, "b2c"],
  [/currency|exchange_rate/, "multi-currency"],
  [/reference|invoice_number/, "commercial"],
];

/**
 * Which setting Sage's refusal points at, from the field paths Sage names ("contact.reference: …" and
 * "$source: invoice_lines[0].tax_rate_id", see lib/sage/errors.ts), or a contact reference it names
 * in words: a refused contact is the B2C fallback contact, a tax rate its routing, a bank account the
 * payment map. Null when nothing it names comes from a setting.
 */
export function refusedSetting(message: string | null | undefined): { field: string; card: SettingsCard } | null {
  const text = message ?? "";
  const paths = [...text.matchAll(/(?:^|\n|\$source:\s*)\s*([A-Za-z_][A-Za-z0-9_.[\]]*):?/g)]
    .map((m) => m[1])
    .filter((p) => /[._]/.test(p));
  for (const field of paths) {
    const hit = FIELD_RULES.find(([re]) => re.test(field));
    if (hit) return { field, card: hit[1] };
  }
  // Sage keeps references unique (deleted ones stay reserved) only for contacts: a bare `reference` that
  // is "already taken" is the shared B2C contact's (the demo's failure, sim/magento/scenario/day.ts).
  if (/^\s*reference: has already been taken/.test(text)) return { field: "the contact reference (already taken in Sage)", card: "b2c" };
  const ref = /contact reference ([A-Z0-9-]+)/i.exec(text);
  return ref ? { field: `the contact reference ${ref[1]}`, card: "b2c" } : null;
}

/**
 * The fix for a code in context: for a refusal (`provider`, `validation`) whose message names a field,
 * the setting behind that field, and a sentence saying which field Sage refused.
 */
export function fixFor(code: string | null | undefined, message?: string | null): Fix | null {
  if (!code || !Object.hasOwn(FIXES, code)) return null;
  const base = FIXES[code as Code];
  if (code !== "provider" && code !== "validation") return base;
  const refused = refusedSetting(message);
  if (!refused) return base;
  return {
    sentence: `Sage refused ${refused.field}. Change the ${SETTINGS_CARDS[refused.card]} setting it comes from, then retry.`,
    action: `Open ${SETTINGS_CARDS[refused.card]}`,
    target: setting(refused.card),
  };
}

/** The URL of a fix for one binding; `sageDocument` is the run's document in Sage when there is one. */
export function fixHref(target: FixTarget, bindingId: string, sageDocument?: string | null): string | null {
  switch (target.kind) {
    case "setting":
      return `/dashboard/bindings/${bindingId}/settings#${target.card}`;
    case "reconnect_sage":
      return `/dashboard/connect-sage?binding=${bindingId}`;
    case "magento":
      return null;
    case "sage_document":
      return sageDocument ?? null;
  }
}

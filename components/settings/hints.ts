/**
 * Hints that describe the value in the field, not the field in general: a merchant reads what the
 * current setting will do ("Documents dated before 2026-01-01 are skipped") rather than a rule to
 * apply in their head. Pure, so they are unit-tested and the cards stay declarative.
 */

export const settingHints = {
  invoicePrefix: (prefix: string) =>
    prefix
      ? `Invoice 100012345 reaches Sage as ${prefix}100012345; credit notes likewise.`
      : "None: Sage gets Magento's own numbers. Up to 6 characters, e.g. MAG-.",
  syncUnpaid: (on: boolean) =>
    on
      ? "On: invoices sync when raised, unpaid ones included; their payments follow."
      : "Off: only invoices paid at creation sync (no aged debtors in Sage).",
  syncZeroValue: (on: boolean) => (on ? "On: invoices totalling 0 post to Sage as well." : "Off: invoices totalling 0 are skipped."),
  syncSince: (date: string) =>
    date
      ? `Documents dated before ${date} (UTC) are skipped as older than the cut-over.`
      : "Empty: every document syncs, whatever its date.",
  sharedReference: (ref: string) =>
    ref
      ? `Up to 9 characters; Ledger adds a currency letter: ${ref}E for EUR, for example.`
      : "At most 9 characters; Ledger adds a currency letter (WEBSALESE for EUR).",
  individualFrom: (total: string) =>
    Number(total) > 0
      ? `Guests whose order totals ${total} or more get their own contact.`
      : "0 = off: no order total gives a guest their own contact.",
};

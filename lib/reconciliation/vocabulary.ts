/**
 * Reconciliation's closed vocabularies (issue 16): the five row classes, the document types compared
 * and the reasons a row carries, each with the sentence people read. One place, as for run statuses.
 */

export const ROW_CLASSES = ["matched", "amount_differs", "missing_in_sage", "changed_in_sage", "not_from_ledger"] as const;
export type RowClass = (typeof ROW_CLASSES)[number];

export const DOCUMENT_TYPES = ["invoice", "creditmemo", "payment"] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** changed_in_sage reasons */
export const CHANGES = ["edited", "voided", "deleted"] as const;
export type Change = (typeof CHANGES)[number];

export const CLASS_LABEL: Record<RowClass, string> = {
  matched: "Matched",
  amount_differs: "Amount differs",
  missing_in_sage: "Missing in Sage",
  changed_in_sage: "Changed in Sage",
  not_from_ledger: "Not from Ledger",
};

/** What each class means for the person reading the page. */
export const CLASS_HELP: Record<RowClass, string> = {
  matched: "Sage holds the document with Magento's amount.",
  amount_differs: "Sage stored a different amount from Magento's when the document was posted.",
  missing_in_sage: "Ledger has not put this document in Sage: the run failed, was skipped, or is still waiting or pending.",
  changed_in_sage: "Someone edited, voided or deleted the document in Sage after Ledger posted it.",
  not_from_ledger: "A Sage document with this store's invoice prefix that Ledger did not post: a duplicate or one keyed in by hand.",
};

export const DOCUMENT_LABEL: Record<DocumentType, string> = { invoice: "Invoice", creditmemo: "Credit memo", payment: "Payment" };

/** The chip each class wears (components/status-chip.tsx variants). */
export const CLASS_CHIP: Record<RowClass, "synced" | "failed" | "pending" | "skipped"> = {
  matched: "synced",
  amount_differs: "failed",
  missing_in_sage: "pending",
  changed_in_sage: "failed",
  not_from_ledger: "skipped",
};

export const isRowClass = (s: string): s is RowClass => (ROW_CLASSES as readonly string[]).includes(s);

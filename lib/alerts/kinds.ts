/**
 * The closed vocabulary of alert kinds (issue 16): what each is called for people, what it means, who
 * gets it by email unless they choose otherwise, and where its digest's deep link points when the
 * caller gives none. One place, so the settings page, the log, the email and the webhook say the same.
 */

export const ALERT_KINDS = [
  "run_failed",
  "total_mismatch",
  "reconciliation_differences",
  "sage_reconnect",
  "magento_unreachable",
  "run_stuck",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export function isAlertKind(s: string): s is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(s);
}

export interface KindInfo {
  /** Short title: "Failed runs". */
  title: string;
  /** What triggers it, for the settings page. */
  meaning: string;
}

export const KIND_INFO: Record<AlertKind, KindInfo> = {
  run_failed: { title: "Failed runs", meaning: "A document could not be posted to Sage and waits for someone to look at it." },
  total_mismatch: {
    title: "Totals differ from Magento",
    meaning: "A document reached Sage but a figure Sage holds differs from Magento's (decisions D11).",
  },
  reconciliation_differences: {
    title: "Reconciliation differences",
    meaning: "The daily reconciliation found documents missing, changed or not from Ledger in Sage.",
  },
  sage_reconnect: {
    title: "Sage needs reconnecting",
    meaning: "Sage refused Ledger's refresh, or the grant is about to expire: nothing posts until someone reconnects.",
  },
  magento_unreachable: { title: "Magento unreachable", meaning: "A connected store has not answered Ledger for 10 minutes." },
  run_stuck: { title: "Stuck runs", meaning: "A run made no progress for longer than its lease and Ledger stopped waiting for it." },
};

/** At most one digest per kind per workspace in this window (issue 16, point 5). */
export const DIGEST_WINDOW_MS = 15 * 60_000;
/** Items listed in a digest; the deep link lists the rest. */
export const DIGEST_ITEMS = 5;

/** Money and labels for reconciliation views and exports; browser-safe, pure. */

export function formatPence(pence: number | null, currency: string | null): string {
  if (pence === null) return "—";
  const n = pence / 100;
  if (!currency) return n.toFixed(2);
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

/** A signed difference: "+£0.01", "−£4.00", "£0.00". */
export function formatDifference(pence: number | null, currency: string | null): string {
  if (pence === null) return "—";
  if (pence === 0) return formatPence(0, currency);
  return `${pence > 0 ? "+" : "−"}${formatPence(Math.abs(pence), currency)}`;
}

/** Plain words for a row's reason code (`failed:provider`, `skipped:zero_value_invoice`, `edited`…). */
export function reasonText(reason: string | null): string {
  if (!reason) return "";
  const [head, code] = reason.split(":");
  const words = (s: string) => s.replace(/_/g, " ");
  switch (head) {
    case "failed":
      return `Run failed (${words(code ?? "")})`;
    case "skipped":
      return `Skipped: ${words(code ?? "")}`;
    case "waiting":
      return "Waiting for its invoice to reach Sage";
    case "pending":
      return "Still being synced";
    case "no_document":
      return "Run finished without a Sage document";
    case "edited":
      return "Edited in Sage after posting";
    case "voided":
      return "Voided in Sage";
    case "deleted":
      return "Deleted in Sage";
    case "duplicate":
      return "Duplicate of a Ledger document";
    case "by_hand":
      return "Entered in Sage by hand";
    default:
      return words(reason);
  }
}

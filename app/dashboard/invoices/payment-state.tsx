import Link from "next/link";
import type { DocumentRow } from "@/lib/status-views/documents";
import { fixFor, fixHref } from "@/lib/status-views/fixes";

/**
 * The payment's state beside an invoice's chip (issue 17 point 3). The chip follows decision D4 (a
 * skipped payment leaves it "Synced", as Magento shows it), so an invoice can be green while Sage
 * still shows it unpaid; Ledger's own view says so, and links to the fix.
 */

const PAYMENT_SKIP_TEXT: Record<string, string> = {
  payment_method_not_mapped: "no Sage bank account for its payment method",
};

export function PaymentState({ row }: { row: DocumentRow }) {
  const { paymentStatus: status, paymentReason: reason } = row;
  if (!status || status === "failed") return null; // a failed payment already turns the chip red (D4)
  if (status === "skipped_by_policy") {
    const fix = fixFor(reason);
    const href = fix?.target ? fixHref(fix.target, row.bindingId) : null;
    return (
      <span className="block text-xs text-warn" data-payment-state="not_posted" title={fix?.sentence}>
        Payment not posted: {(reason && PAYMENT_SKIP_TEXT[reason]) ?? "skipped by this binding's settings"}
        {fix?.action && href ? (
          <>
            {" "}
            <Link href={href} className="whitespace-nowrap text-accent hover:underline">
              {fix.action} →
            </Link>
          </>
        ) : null}
      </span>
    );
  }
  if (status === "succeeded") {
    return (
      <span className="block text-xs text-ok" data-payment-state="posted">
        Payment posted
      </span>
    );
  }
  return (
    <span className="block text-xs text-info" data-payment-state="pending">
      Payment on its way
    </span>
  );
}

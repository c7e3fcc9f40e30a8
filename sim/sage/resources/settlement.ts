import { money, round2 } from "../money.ts";
import { base } from "../reference.ts";
import { nowIso, type Json } from "../store.ts";

/** Artefact status from what is still owed (sage-api §5: UNPAID → PART_PAID → PAID). */
export function statusFor(outstanding: number, total: number) {
  if (outstanding <= 0) return base("artefact_statuses", "PAID", "Paid");
  if (outstanding < total) return base("artefact_statuses", "PART_PAID", "Part Paid");
  return base("artefact_statuses", "UNPAID", "Unpaid");
}

export const amountOf = (rec: Json, field: string): number => Number(rec[field] ?? 0);

/**
 * Knocks `amount` (+ discount) off an invoice or credit note and records the link, as a payment
 * or allocation does. Amounts here are positive: what the artefact is settled by. Only payments
 * count towards `total_paid`; allocations show in `payments_allocations_total_amount`.
 */
export function settle(rec: Json, amount: number, discount: number, link: Json, byPayment: boolean): Json {
  const total = amountOf(rec, "total_amount");
  const outstanding = round2(amountOf(rec, "outstanding_amount") - amount - discount);
  const rate = Number(rec.exchange_rate ?? 1);
  const paid = round2(amountOf(rec, "total_paid") + (byPayment ? amount : 0));
  const allocated = round2(amountOf(rec, "payments_allocations_total_amount") + amount);
  const discounted = round2(amountOf(rec, "payments_allocations_total_discount") + discount);
  return {
    ...rec,
    outstanding_amount: money(outstanding),
    base_currency_outstanding_amount: money(round2(outstanding / rate)),
    total_paid: money(paid),
    payments_allocations_total_amount: money(allocated),
    payments_allocations_total_discount: money(discounted),
    status: statusFor(outstanding, total),
    payments_allocations: [...((rec.payments_allocations as Json[] | undefined) ?? []), link],
    updated_at: nowIso(),
  };
}

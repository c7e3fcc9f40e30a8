import { z } from "zod";
import { currencyId, isoDate, moneyIn, optBool, optMoney, optRef, optString, recordIdentity, sageId } from "./common";

/**
 * Money movements against artefacts: `POST /contact_payments` (root `contact_payment`) for receipts
 * and refunds, `POST /contact_allocations` (root `contact_allocation`) for knocking a credit note
 * off an invoice without money moving (D5).
 */

/** The sync only ever moves customer money (product-spec §3.3, D5). */
export const PAYMENT_TRANSACTION_TYPE_IDS = ["CUSTOMER_RECEIPT", "CUSTOMER_REFUND"] as const;

export const contactPaymentCreateInput = z.strictObject({
  transaction_type_id: z.enum(PAYMENT_TRANSACTION_TYPE_IDS),
  contact_id: sageId,
  bank_account_id: sageId,
  date: isoDate,
  total_amount: moneyIn,
  payment_method_id: sageId.optional(),
  reference: z.string().max(25).optional(),
  currency_id: currencyId.optional(),
  /** Reuses the invoice's rate (D1). */
  exchange_rate: z.number().finite().positive().optional(),
  allocated_artefacts: z
    .array(
      z.strictObject({
        artefact_id: sageId,
        amount: moneyIn,
        discount: moneyIn.optional(),
      }),
    )
    .optional(),
});
export type ContactPaymentCreateInput = z.infer<typeof contactPaymentCreateInput>;

/**
 * The allocation transaction type is not pinned down by Sage material (`CUSTOMER_ALLOCATION` is
 * [unverified], sage-api §4.5), so any id is accepted here and the caller owns the choice.
 */
export const contactAllocationCreateInput = z.strictObject({
  transaction_type_id: sageId,
  contact_id: sageId,
  date: isoDate.optional(),
  allocated_artefacts: z
    .array(
      z.strictObject({
        artefact_id: sageId,
        amount: moneyIn,
      }),
    )
    .min(1),
});
export type ContactAllocationCreateInput = z.infer<typeof contactAllocationCreateInput>;

const allocatedOut = z.looseObject({
  id: optString,
  artefact: optRef,
  amount: optMoney,
});

export const contactPaymentSchema = z.looseObject({
  ...recordIdentity,
  transaction: optRef,
  transaction_type: optRef,
  payment_method: optRef,
  contact: optRef,
  bank_account: optRef,
  date: optString,
  total_amount: optMoney,
  currency: optRef,
  exchange_rate: optMoney,
  reference: optString,
  allocated_artefacts: z.array(allocatedOut.extend({ discount: optMoney })).nullish(),
  editable: optBool,
  deleted_at: optString,
});
export type SageContactPayment = z.infer<typeof contactPaymentSchema>;

export const contactAllocationSchema = z.looseObject({
  ...recordIdentity,
  transaction: optRef,
  transaction_type: optRef,
  contact: optRef,
  date: optString,
  allocated_artefacts: z.array(allocatedOut).nullish(),
  deleted_at: optString,
});
export type SageContactAllocation = z.infer<typeof contactAllocationSchema>;

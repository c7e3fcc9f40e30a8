import { createHash } from "node:crypto";

/**
 * Sage's `idempotency_id` (sage-api §3.9): 32 lowercase hex characters inside the resource root of
 * a POST/PUT body; a replay within 7 days returns the first result and creates nothing.
 *
 * Derived, never random, so a retry after a timeout sends the same id. The resource root is mixed
 * into the hash because Sage rejects an id reused on another resource type
 * (`IdempotencyResourceMismatch`) — one caller key (e.g. `binding:invoice:42:v1`) may legitimately
 * drive both a `contact_payment` and a `contact_allocation`.
 */

export const SAGE_IDEMPOTENCY_ID = /^[0-9a-f]{32}$/;

export type SageIdempotentResource =
  | "contact"
  | "sales_invoice"
  | "sales_credit_note"
  | "contact_payment"
  | "contact_allocation"
  | "product"
  | "service"
  | "stock_item"
  | "stock_movement";

export function sageIdempotencyId(resource: SageIdempotentResource, key: string): string {
  if (key.trim() === "") throw new Error("idempotency key must not be empty");
  return createHash("sha256").update(`sage:${resource}\n${key}`).digest("hex").slice(0, 32);
}

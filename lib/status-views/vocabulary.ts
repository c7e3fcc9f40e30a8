import { SYNC_ERROR_CLASSES, type SyncErrorClass } from "@/lib/errors";
import type { MagentoEvent, MirrorEntityType } from "@/lib/magento/events";
import { SKIP_REASONS, type SkipReason } from "@/lib/policy/evaluate";
import { FIXES } from "./fixes";

/**
 * What operators read next to a code: the plain-English meaning of every skip reason and error class
 * (decisions D3), and how run statuses collapse onto the five chips Magento also shows.
 */

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "skipped_by_policy", "failed"] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

/**
 * The five Magento events and four mirror entity types, restated here because this module is also
 * bundled for the browser and lib/magento/events.ts pulls in node:crypto. The unit test keeps the
 * copies equal to the originals.
 */
export const EVENTS = [
  "invoice.created",
  "invoice.paid",
  "creditmemo.created",
  "customer.upserted",
  "product.upserted",
] as const satisfies readonly MagentoEvent[];
export const ENTITY_TYPES = ["invoice", "creditmemo", "customer", "product"] as const satisfies readonly MirrorEntityType[];

export const CHIP_VARIANTS = ["synced", "pending", "skipped", "failed", "none"] as const;
export type ChipVariant = (typeof CHIP_VARIANTS)[number];

/** Run status → chip (D3). `null` means no run exists for the entity. */
export function chipForStatus(status: RunStatusName | null): ChipVariant {
  switch (status) {
    case "succeeded":
      return "synced";
    case "skipped_by_policy":
      return "skipped";
    case "failed":
      return "failed";
    case "queued":
    case "running":
    case "waiting":
      return "pending";
    default:
      return "none";
  }
}

/**
 * Decision D4, the one rule for an invoice's chip, from the latest invoice.created and invoice.paid
 * runs (either may be missing): a failed payment shows failed, so the row gets attention; otherwise
 * the invoice's own run decides, and a payment skip or success shows only in the history. With no
 * invoice run, only a payment still in flight shows (pending). The Invoices view runs the same rule
 * in SQL (lib/status-views/documents.ts) and the push to Magento through `invoiceChipRun`
 * (lib/sync/state-push.ts); lib/status-views/chip-rule.int.test.ts holds both to this function.
 */
export function invoiceChip(invoice: RunStatusName | null, payment: RunStatusName | null): ChipVariant {
  if (payment === "failed") return "failed";
  if (invoice === null) return chipForStatus(payment) === "pending" ? "pending" : "none";
  return chipForStatus(invoice);
}

/** Which run decides the invoice's chip (and whose details go with it): the payment's when it failed or the invoice never ran. */
export function invoiceChipRun(invoice: RunStatusName | null, payment: RunStatusName | null): "invoice" | "payment" {
  return payment === "failed" || invoice === null ? "payment" : "invoice";
}

/** The run statuses a chip stands for; the history's status toggles filter on these. */
export const STATUSES_OF_CHIP: Record<Exclude<ChipVariant, "none">, readonly RunStatusName[]> = {
  synced: ["succeeded"],
  pending: ["queued", "running", "waiting"],
  skipped: ["skipped_by_policy"],
  failed: ["failed"],
};

export { SKIP_REASONS, SYNC_ERROR_CLASSES };
export type { SkipReason, SyncErrorClass };

/** Plain sentences, from the one table that also holds each code's fix (fixes.ts). */
const sentences = <C extends keyof typeof FIXES>(codes: readonly C[]) =>
  Object.fromEntries(codes.map((c) => [c, FIXES[c].sentence])) as Record<C, string>;

export const SKIP_REASON_MEANING: Record<SkipReason, string> = sentences(SKIP_REASONS);

export const ERROR_CLASS_MEANING: Record<SyncErrorClass, string> = sentences(SYNC_ERROR_CLASSES);

/**
 * Warnings a succeeded run can carry (decisions D3, D11). Restated here for the browser bundle (their
 * homes, lib/translate/document.ts and lib/books/verify-posting.ts, are server modules); the unit
 * test keeps the copies equal.
 */
export const RUN_WARNINGS = ["total_mismatch", "mixed_eu_goods_services_coerced_to_default"] as const;
export type RunWarning = (typeof RUN_WARNINGS)[number];

export const RUN_WARNING_MEANING: Record<RunWarning, string> = sentences(RUN_WARNINGS);

export function isRunWarning(code: string): code is RunWarning {
  return (RUN_WARNINGS as readonly string[]).includes(code);
}

export const NO_SYNC_CAUSES = [
  "the document predates the Magento module or the binding",
  "the binding was not connected to Sage at the time",
  "Magento's cron has not delivered the event yet",
] as const;

export function isSkipReason(code: string): code is SkipReason {
  return (SKIP_REASONS as readonly string[]).includes(code);
}

export function isErrorClass(code: string): code is SyncErrorClass {
  return (SYNC_ERROR_CLASSES as readonly string[]).includes(code);
}

/** The meaning of a reason code, error class or warning, for labels and tooltips. */
export function codeMeaning(code: string): string | null {
  if (isSkipReason(code)) return SKIP_REASON_MEANING[code];
  if (isErrorClass(code)) return ERROR_CLASS_MEANING[code];
  if (isRunWarning(code)) return RUN_WARNING_MEANING[code];
  return null;
}

/** Sage's message can be long; tooltips carry only its first line. */
export function firstLine(message: string | null | undefined): string {
  return (message ?? "").split(/\r?\n/, 1)[0]?.trim() ?? "";
}

import { z } from "zod";

/**
 * Building blocks shared by every Sage request and response schema.
 *
 * Requests follow the Swagger literally (numbers for money, `YYYY-MM-DD` dates). Responses are read
 * tolerantly: Sage documents money as `number` but real responses carry decimal strings
 * (sage-api §3.6), almost any attribute can be `null` or missing (lists only carry `id`,
 * `displayed_as`, `$path` unless `attributes` is set), and new attributes appear over time — so
 * response objects are loose and every attribute except the identity is nullish.
 */

/** A Sage id: 32-hex GUIDs for records, mnemonic strings (`GB_STANDARD`, `GBP`) for reference data. */
export const sageId = z.string().min(1).max(255);

export const isoDate = z.iso.date();

/** ISO-4217 code; Sage uses the code itself as the currency id. */
export const currencyId = z.string().regex(/^[A-Z]{3}$/, "expected an ISO-4217 code such as GBP");

/** An amount we send: Swagger types money as a JSON number. */
export const moneyIn = z.number().finite();

const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

/** An amount Sage returns: a number or a decimal string, normalised to a number. */
export const money = z
  .union([z.number().finite(), z.string().regex(DECIMAL_STRING, "expected a decimal amount")])
  .transform((v) => (typeof v === "number" ? v : Number(v)));

export const optMoney = money.nullish();
export const optString = z.string().nullish();
export const optBool = z.boolean().nullish();

/** The `{id, displayed_as, $path}` shape Sage uses for every nested reference. */
export const baseRef = z.looseObject({
  id: z.string(),
  displayed_as: optString,
  $path: optString,
});
export type SageRef = z.infer<typeof baseRef>;
export const optRef = baseRef.nullish();

/** Identity every top-level Sage record carries, whatever `attributes` was requested. */
export const recordIdentity = {
  id: z.string().min(1),
  displayed_as: z.string(),
  $path: optString,
  created_at: optString,
  updated_at: optString,
};

/**
 * The list envelope. Sage's own examples spell the page-size key both `$itemsPerPage` and
 * `$items_per_page` (the businesses example), so both are accepted (sage-api §7).
 */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z
    .looseObject({
      $items: z.array(item),
      $total: z.number().int().nonnegative().nullish(),
      $page: z.number().int().nullish(),
      $next: optString,
      $back: optString,
      $itemsPerPage: z.number().int().nullish(),
      $items_per_page: z.number().int().nullish(),
    })
    .transform((e) => ({
      items: e.$items,
      total: e.$total ?? null,
      page: e.$page ?? null,
      next: e.$next ?? null,
      back: e.$back ?? null,
      itemsPerPage: e.$itemsPerPage ?? e.$items_per_page ?? null,
    }));
}

export type SagePage<T> = {
  items: T[];
  total: number | null;
  page: number | null;
  next: string | null;
  back: string | null;
  itemsPerPage: number | null;
};

/** One entry of Sage's error array (sage-api §3.7). */
export const sageErrorItem = z.looseObject({
  $severity: optString,
  $dataCode: optString,
  $message: optString,
  $source: optString,
});
export type SageErrorItem = z.infer<typeof sageErrorItem>;

/** Sage answers errors with an array; a single object is accepted too rather than lost. */
export const sageErrorBody = z.union([z.array(sageErrorItem), sageErrorItem.transform((e) => [e])]);

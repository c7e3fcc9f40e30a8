import { SyncError, type SyncErrorClass } from "@/lib/errors";
import { sageErrorBody, type SageErrorItem } from "./schemas/common";

/**
 * Turns every failure around a Sage call into exactly one `SyncError` class (D3).
 * Decided by HTTP status and Sage `$dataCode` only — never by message text, which Sage words
 * differently per locale and reuses as an umbrella (product-spec §3.7 §20).
 *
 * | HTTP status           | `$dataCode`                                                   | class        |
 * |-----------------------|---------------------------------------------------------------|--------------|
 * | 401, 403              | any (`AuthorizationFailure`, `MultiUserAccessDenied`, …)      | auth         |
 * | 404                   | any (`RecordNotFound` on the path's own record)               | not_found    |
 * | 408, 5xx              | any (`UnexpectedError`, 503 "retry later")                    | http         |
 * | 409                   | any: a concurrent request holds the same idempotency_id;      | http         |
 * |                       | retrying returns the replayed first result                    |              |
 * | 429                   | any                                                           | rate_limited |
 * | 405                   | any (we used a verb Sage doesn't offer: our bug)              | internal     |
 * | other 4xx             | `AuthorizationFailure`, `MultiUserAccessDenied`               | auth         |
 * | 400, 413, 415         | any but the auth codes (Sage could not read what we built)    | validation   |
 * | other 4xx             | `RecordNotFound` (a referenced id in our body is stale: tax   | validation   |
 * |                       | rate, ledger, bank account — fix the policy, product-spec     |              |
 * |                       | §2.3), `IdempotencyResourceMismatch` (our idempotency_id      |              |
 * |                       | reused across resource types)                                 |              |
 * | other 4xx (422…)      | `RecordInvalid` and any other code: Sage rejected a payload   | provider     |
 * |                       | on its own rules — the catalogued quirks (product-spec §2.3,  |              |
 * |                       | §3.7), VAT-reconciled edits, over-allocation, reserved refs…  |              |
 *
 * The remaining classes come from elsewhere: `serde` when a 2xx body is not JSON or not the
 * documented shape (transport), `database`/`internal` for our own failures (`toSyncError`).
 */

const DATA_CODE_CLASS: Readonly<Record<string, SyncErrorClass>> = {
  AuthorizationFailure: "auth",
  MultiUserAccessDenied: "auth",
  RecordInvalid: "provider",
  RecordNotFound: "validation",
  IdempotencyResourceMismatch: "validation",
};

const MALFORMED_REQUEST_STATUSES = new Set([400, 413, 415]);

function classForStatus(status: number, dataCode: string | undefined): SyncErrorClass {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status === 408 || status === 409 || status >= 500) return "http";
  if (status === 405) return "internal";
  const byCode = dataCode ? DATA_CODE_CLASS[dataCode] : undefined;
  if (byCode === "auth") return byCode;
  if (MALFORMED_REQUEST_STATUSES.has(status)) return "validation";
  return byCode ?? "provider";
}

/**
 * `Retry-After` as whole seconds from `nowMs`: either delta-seconds or an HTTP date (RFC 9110).
 * Past dates give 0; anything unparseable gives undefined so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  // All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name.
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Parses Sage's error array out of a raw body; a non-JSON or unexpected body yields no items. */
export function parseSageErrors(rawBody: string): SageErrorItem[] {
  if (rawBody.trim() === "") return [];
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return [];
  }
  const parsed = sageErrorBody.safeParse(json);
  return parsed.success ? parsed.data : [];
}

/** The operator-facing text: Sage's own first `$message`, prefixed by its `$source` field path. */
export function sageErrorMessage(errors: SageErrorItem[], status: number): string {
  const first = errors.find((e) => e.$message) ?? errors[0];
  if (!first?.$message) return `Sage answered HTTP ${status}`;
  const source = first.$source && first.$source !== "base" ? `${first.$source}: ` : "";
  const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : "";
  return `${source}${first.$message}${more}`;
}

const MAX_KEPT_ERRORS = 20;

export type SageFailure = {
  status: number;
  rawBody: string;
  retryAfter?: string | null;
  nowMs?: number;
};

/** Classifies a non-2xx Sage API answer. */
export function classifySageResponse({ status, rawBody, retryAfter, nowMs }: SageFailure): SyncError {
  const errors = parseSageErrors(rawBody);
  const dataCode = errors.find((e) => e.$dataCode)?.$dataCode ?? undefined;
  const syncClass = classForStatus(status, dataCode);
  const retryAfterSeconds = syncClass === "rate_limited" || syncClass === "http" ? parseRetryAfter(retryAfter, nowMs) : undefined;
  return new SyncError(syncClass, sageErrorMessage(errors, status), {
    status,
    providerCode: dataCode,
    retryAfterSeconds,
    details: { errors: errors.slice(0, MAX_KEPT_ERRORS) },
    origin: "sage",
  });
}

/**
 * The refresh token (or auth code) was rejected by the token endpoint: already used, expired, or
 * revoked. Token custody must treat this as final — re-authorisation is the only way out —
 * whereas any other failure of the same call is worth retrying.
 */
export class SageInvalidGrantError extends SyncError {
  constructor(message: string, status: number) {
    super("auth", message, { status, providerCode: "invalid_grant" });
    this.name = "SageInvalidGrantError";
  }
}

export function isInvalidGrant(e: unknown): e is SageInvalidGrantError {
  return e instanceof SageInvalidGrantError;
}

function isDatabaseError(e: unknown, depth = 0): boolean {
  if (!(e instanceof Error) || depth > 5) return false;
  if (e.name.startsWith("Prisma")) return true;
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  if (typeof code === "string" && /^P\d{4}$/.test(code)) return true;
  // node-postgres DatabaseError: SQLSTATE code plus a server-reported severity
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string") return true;
  return isDatabaseError(e.cause, depth + 1);
}

/** Any thrown value as a `SyncError`: Sage-classified errors pass through, the rest are ours. */
export function toSyncError(e: unknown): SyncError {
  if (e instanceof SyncError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SyncError(isDatabaseError(e) ? "database" : "internal", message.slice(0, 500), { cause: e });
}

/**
 * One error vocabulary for the whole app.
 *
 * - `AppError` carries a code from the closed `ErrorCode` set; `httpStatus()` is the only place that
 *   maps a code to an HTTP status, so route handlers never pick statuses by hand.
 * - `SyncErrorClass` is the closed set of nine classes a failed sync run is labelled with
 *   (decisions D3). It is decided by status codes and Sage `$dataCode`, never by message text.
 */

export const ERROR_CODES = [
  // request shape
  "bad_request",
  "invalid_body",
  "payload_too_large",
  "unknown_event",
  "unsupported_media_type",
  // auth
  "unauthenticated",
  "invalid_token",
  "token_replayed",
  "forbidden",
  // Magento's word for its connection (lib/magento/jwt.ts): these two codes are what the module reads.
  "tenant_revoked",
  // lookup
  "not_found",
  "unknown_tenant",
  "conflict",
  // settings validation
  "validation_failed",
  // upstream / transient
  "upstream_unavailable",
  "rate_limited",
  "service_unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_body: 422,
  payload_too_large: 413,
  unknown_event: 422,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_token: 401,
  token_replayed: 401,
  forbidden: 403,
  tenant_revoked: 401,
  not_found: 404,
  unknown_tenant: 404,
  conflict: 409,
  validation_failed: 422,
  upstream_unavailable: 502,
  // Magento's outbox dead-letters every 4xx, so "try again later" is always a 503 for machine callers.
  rate_limited: 503,
  service_unavailable: 503,
  internal: 500,
};

export function httpStatus(code: ErrorCode): number {
  return STATUS[code];
}

export type FieldErrors = Record<string, { code: string; message: string }>;

/**
 * A zod failure of a form's input as field errors, keyed by the top-level field (the form's input
 * name). When a field has several problems the last one reported is kept.
 */
export function fieldErrorsOf(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  code = "invalid_format",
): FieldErrors {
  return Object.fromEntries(error.issues.map((i) => [String(i.path[0] ?? ""), { code, message: i.message }]));
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly fields?: FieldErrors;
  /** Field → a corrected value safe to offer the user as a one-click fix (e.g. a redirected store URL). */
  readonly suggestions?: Record<string, string>;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      details?: Record<string, unknown>;
      fields?: FieldErrors;
      suggestions?: Record<string, string>;
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    // A 4xx is an answer to the caller, not a fault of ours: nobody reads its stack, and capturing
    // one costs more than the rest of a rejected webhook's own work.
    const stackTraceLimit = Error.stackTraceLimit;
    if (httpStatus(code) < 500) Error.stackTraceLimit = 0;
    try {
      super(message, { cause: opts.cause });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = "AppError";
    this.code = code;
    this.details = opts.details;
    this.fields = opts.fields;
    this.suggestions = opts.suggestions;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return httpStatus(this.code);
  }

  /** The JSON body every API route answers with on error: short, actionable, no internals. */
  toBody(): { error: ErrorCode; message: string; fields?: FieldErrors } {
    return this.fields ? { error: this.code, message: this.message, fields: this.fields } : { error: this.code, message: this.message };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Errors that are transient on our side (database down, executor unreachable) → 503 for Magento. */
export function isTransientInfraError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    // node network errors and PostgreSQL connection/availability classes (08xxx, 57Pxx, 53xxx)
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"].includes(code)) return true;
    if (/^(08|57P|53)/.test(code)) return true;
    // Prisma: can't reach database server / timed out / pool timeout
    if (["P1001", "P1002", "P1008", "P1017", "P2024"].includes(code)) return true;
  }
  const name = e.name ?? "";
  if (name === "PrismaClientInitializationError") return true;
  if (e.cause && e.cause !== e) return isTransientInfraError(e.cause);
  return false;
}

/**
 * Any error raised by the database or the driver on its behalf (Prisma's request, engine and
 * initialisation errors, driver adapter errors, pg's own): our side's trouble, never the caller's.
 * Client-side argument validation (PrismaClientValidationError) is a bug, not a database error.
 */
export function isDatabaseError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; depth++) {
    const name = cur.name ?? "";
    if (name.startsWith("PrismaClient") && name !== "PrismaClientValidationError") return true;
    if (name === "DriverAdapterError") return true;
    // pg's DatabaseError: a five-character SQLSTATE and a severity.
    const pgError = cur as { code?: unknown; severity?: unknown };
    if (typeof pgError.code === "string" && /^[0-9A-Z]{5}$/.test(pgError.code) && typeof pgError.severity === "string") return true;
    cur = cur.cause;
  }
  return false;
}

/** The nine classes a failed sync run carries (decisions D3), pushed to Magento as `error_code`. */
export const SYNC_ERROR_CLASSES = [
  "auth",
  "not_found",
  "validation",
  "rate_limited",
  "provider",
  "http",
  "database",
  "serde",
  "internal",
] as const;
export type SyncErrorClass = (typeof SYNC_ERROR_CLASSES)[number];

/** Which classes are worth retrying automatically (with backoff). */
export function isRetryableClass(c: SyncErrorClass): boolean {
  return c === "rate_limited" || c === "http" || c === "database";
}

/**
 * An error raised by an integration client (Magento or Sage) that already knows its sync class.
 * `message` is safe to show to an operator (it is the provider's own message, never a secret).
 */
export class SyncError extends Error {
  readonly syncClass: SyncErrorClass;
  readonly status?: number;
  readonly providerCode?: string;
  readonly retryAfterSeconds?: number;
  readonly details?: unknown;
  /** Which side answered (or failed to): set where a Magento or Sage answer is classified. */
  readonly origin?: "magento" | "sage";

  constructor(
    syncClass: SyncErrorClass,
    message: string,
    opts: {
      status?: number;
      providerCode?: string;
      retryAfterSeconds?: number;
      details?: unknown;
      origin?: "magento" | "sage";
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "SyncError";
    this.syncClass = syncClass;
    this.status = opts.status;
    this.providerCode = opts.providerCode;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.details = opts.details;
    this.origin = opts.origin;
  }

  get retryable(): boolean {
    return isRetryableClass(this.syncClass);
  }
}

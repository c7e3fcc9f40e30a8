/**
 * Why a Connect Sage attempt stopped, as a stable code (it travels in the connect page's URL) and
 * the message the merchant reads there. Pure: the page imports it without any server code.
 */

export const CONNECT_ERROR_CODES = [
  "access_denied",
  "sage_refused",
  "state_missing",
  "state_invalid",
  "state_expired",
  "state_used",
  "wrong_user",
  "not_allowed",
  "binding_unavailable",
  "exchange_failed",
  "sage_unavailable",
  "no_businesses",
  "business_locked",
  "already_connected",
  "selection_invalid",
  "selection_expired",
  "internal",
] as const;
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

const START_AGAIN = "Start again with “Connect Sage”.";

const MESSAGES: Record<ConnectErrorCode, string> = {
  access_denied: "You chose not to give Ledger access in Sage, so nothing was connected. Connect again whenever you are ready.",
  sage_refused: `Sage stopped the sign-in before it finished. Nothing was changed. ${START_AGAIN}`,
  state_missing: `Sage sent us back without the sign-in reference we gave it, so we cannot tell which binding it was for. ${START_AGAIN}`,
  state_invalid: `This Sage sign-in link is not one we issued, or it was cancelled. ${START_AGAIN}`,
  state_expired: `The Sage sign-in was not finished within 10 minutes and has expired. ${START_AGAIN}`,
  state_used: "This Sage sign-in has already been used. If the binding still shows Sage as not connected, start again with “Connect Sage”.",
  wrong_user: "This Sage sign-in was started by a different Ledger user. Sign in to Ledger as that user, or start a new sign-in yourself.",
  not_allowed: "Connecting Sage needs the admin role in this workspace. Ask an owner or admin to connect it.",
  binding_unavailable: "This binding no longer exists or has been disconnected. Pair the Magento store again to create a new binding.",
  exchange_failed: `Sage did not accept the sign-in (sign-in codes are only valid for 60 seconds and only once). Nothing was changed. ${START_AGAIN}`,
  sage_unavailable: "Sage could not be reached or answered with an error. Nothing was changed — try again in a few minutes.",
  no_businesses:
    "The Sage user you signed in with has no Sage Business Cloud Accounting business. Sign in with a user who has one, or create the business in Sage first.",
  business_locked:
    "This binding is locked to the Sage business it was first connected to, and the Sage user you signed in with cannot access that business. Sign in as a user of that business — or, to post to a different business, create a new binding.",
  already_connected: "This binding was connected to Sage while you were choosing. Nothing else was changed.",
  selection_invalid: "That business choice is not available any more. Pick one of the businesses listed, or connect Sage again.",
  selection_expired: `The business choice was not made within 30 minutes and has expired. ${START_AGAIN}`,
  internal: "Something went wrong on our side while connecting Sage. Nothing was changed — please try again.",
};

export function isConnectErrorCode(v: unknown): v is ConnectErrorCode {
  return typeof v === "string" && (CONNECT_ERROR_CODES as readonly string[]).includes(v);
}

/** The merchant-readable text for a code from the URL; unknown codes read as a generic failure. */
export function connectErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return MESSAGES[isConnectErrorCode(code) ? code : "internal"];
}

/** A Connect Sage failure; `bindingId` when known, so the merchant lands back on the right card. */
export class SageConnectError extends Error {
  readonly code: ConnectErrorCode;
  readonly bindingId?: string;

  constructor(code: ConnectErrorCode, opts: { bindingId?: string; cause?: unknown } = {}) {
    super(MESSAGES[code], { cause: opts.cause });
    this.name = "SageConnectError";
    this.code = code;
    this.bindingId = opts.bindingId;
  }
}

export function isSageConnectError(e: unknown): e is SageConnectError {
  return e instanceof SageConnectError;
}

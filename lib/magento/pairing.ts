import type { FieldErrors } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { createGuardedFetch, type GuardedFetch, type GuardedOutcome } from "@/lib/net/guarded-fetch";
import { normaliseBaseUrl } from "./base-url";
import { magentoErrorMessage } from "./magento-error";

/**
 * Pairing: Ledger hands its api key to the merchant's Magento with the one-time code the merchant
 * generated there (wire-protocol §7). The call is anonymous — the code is the credential — and is
 * never retried automatically: a success consumes the code, so a blind retry would report failure.
 * Every way it can go wrong maps to a reason and a message the merchant can act on.
 */

export const PAIRING_CODE_PATTERN = /^[0-9a-f]{32}$/;
export const PAIR_PATH = "/rest/V1/byte8/setup/pair";
const WHERE_TO_GENERATE = "Stores → Configuration → Byte8";

export interface PairingInput {
  magentoBaseUrl: string;
  pairingCode: string;
}

export type NormalisedPairingInput = { ok: true; value: PairingInput } | { ok: false; fields: FieldErrors };

/**
 * What the merchant typed into the Connect form, cleaned the way Magento compares it: the code is
 * checked case-sensitively against lowercase hex, so we trim and lowercase it first.
 * `requireHttps` refuses plain http (production: the api key travels in this request).
 */
/** Longer than any real store address; Magento's own config field is far shorter. */
export const MAX_BASE_URL_LENGTH = 2048;

export function normalisePairingInput(input: PairingInput, opts: { requireHttps?: boolean } = {}): NormalisedPairingInput {
  const fields: FieldErrors = {};
  // Form data can be anything: only strings of sane length go further (no request to a 5 000-char URL).
  const rawCode = typeof input.pairingCode === "string" ? input.pairingCode : "";
  const rawUrl = typeof input.magentoBaseUrl === "string" && input.magentoBaseUrl.length <= MAX_BASE_URL_LENGTH ? input.magentoBaseUrl : "";
  const pairingCode = rawCode.trim().toLowerCase();
  if (!PAIRING_CODE_PATTERN.test(pairingCode)) {
    fields.pairingCode = {
      code: "invalid_format",
      message: `A pairing code is 32 characters, digits 0–9 and letters a–f. Copy it again from Magento: ${WHERE_TO_GENERATE}.`,
    };
  }
  const magentoBaseUrl = normaliseBaseUrl(rawUrl);
  if (!magentoBaseUrl) {
    fields.magentoBaseUrl = {
      code: "invalid_url",
      message: "Enter your store's full address, starting with https:// (for example https://shop.example.com).",
    };
  } else if (opts.requireHttps && !magentoBaseUrl.startsWith("https://")) {
    fields.magentoBaseUrl = { code: "https_required", message: "The store address must start with https://." };
  }
  if (Object.keys(fields).length > 0 || !magentoBaseUrl) return { ok: false, fields };
  return { ok: true, value: { magentoBaseUrl, pairingCode } };
}

export const PAIR_FAILURE_REASONS = [
  "invalid_input",
  "request_rejected",
  "code_rejected",
  "code_already_used",
  "not_found",
  "magento_error",
  "timeout",
  "unreachable",
  "tls",
  "redirect",
  "blocked_address",
  "unexpected_response",
] as const;
export type PairFailureReason = (typeof PAIR_FAILURE_REASONS)[number];

export type PairOutcome =
  | { ok: true; status: number; magentoBaseUrl: string }
  | {
      ok: false;
      reason: PairFailureReason;
      /** For the merchant: what happened and what to do. */
      message: string;
      status?: number;
      /** For logs/operators: Magento's own message or the network error. */
      detail?: string;
      fields?: FieldErrors;
      /** For redirects that point at the same route elsewhere: the base URL to use instead. */
      suggestedBaseUrl?: string;
    };

export interface PairRequest extends PairingInput {
  /** Sent as the body's `tenant_id`: Magento stores it and signs every request with it as `sub`. */
  connectionId: string;
  apiKey: string;
  /** Where Magento will send webhooks from now on (becomes its `byte8/client/base_url`). */
  ledgerBaseUrl: string;
  fetchImpl?: GuardedFetch;
  requireHttps?: boolean;
}

function suggestedBase(location: string | undefined, requestUrl: string): string | undefined {
  if (!location) return undefined;
  try {
    const target = new URL(location, requestUrl);
    if (!target.pathname.endsWith(PAIR_PATH)) return undefined;
    return normaliseBaseUrl(target.origin + target.pathname.slice(0, -PAIR_PATH.length)) ?? undefined;
  } catch {
    return undefined;
  }
}

function describe(outcome: GuardedOutcome, base: string, url: string): Exclude<PairOutcome, { ok: true }> {
  const host = new URL(base).host;
  if (outcome.kind === "response") {
    const status = outcome.status;
    const detail = magentoErrorMessage(outcome.body) ?? undefined;
    if (status === 401) {
      return {
        ok: false,
        reason: "code_rejected",
        status,
        detail,
        message: `Magento did not accept the pairing code: it is wrong, has expired (codes last 30 minutes) or was already used — generate a new one in Magento: ${WHERE_TO_GENERATE}.`,
      };
    }
    if (status === 422) {
      return {
        ok: false,
        reason: "code_already_used",
        status,
        detail,
        message: `The pairing code has expired or was already used — generate a new one in Magento: ${WHERE_TO_GENERATE}.`,
      };
    }
    if (status === 400) {
      return {
        ok: false,
        reason: "request_rejected",
        status,
        detail,
        message: `Magento refused the pairing request${detail ? ` ("${detail}")` : ""}. This is a problem on our side, not yours — please contact support.`,
      };
    }
    if (status === 404) {
      return {
        ok: false,
        reason: "not_found",
        status,
        detail,
        message: `No Byte8 module answered at ${base}. Check that this is your store's address (Magento shows it next to the pairing code) and that the Byte8 Sage Accounting module is installed and enabled. If your store has no URL rewrites, add /index.php to the address.`,
      };
    }
    if (status >= 500) {
      return {
        ok: false,
        reason: "magento_error",
        status,
        detail,
        message: `Magento had an internal error (HTTP ${status}) while pairing. Wait a minute and try again with the same code; if it keeps failing, check Magento's var/log/exception.log.`,
      };
    }
    return {
      ok: false,
      reason: "unexpected_response",
      status,
      detail,
      message: `${host} answered the pairing request with HTTP ${status}, which is not what Magento sends. Check the store address; a firewall or maintenance page may be in the way.`,
    };
  }
  switch (outcome.kind) {
    case "timeout":
      return {
        ok: false,
        reason: "timeout",
        detail: outcome.message,
        message: `Magento at ${host} did not answer in time. Check that the store is online and try again.`,
      };
    case "unreachable":
      return {
        ok: false,
        reason: "unreachable",
        detail: outcome.code ?? outcome.message,
        message: `Could not connect to ${host}. Check the store address for typos and that the store is reachable from the internet.`,
      };
    case "tls":
      return {
        ok: false,
        reason: "tls",
        detail: outcome.code ?? outcome.message,
        message: `The HTTPS certificate of ${host} is not valid (${outcome.code ?? "rejected"}). The store needs a certificate from a public certificate authority that matches its address.`,
      };
    case "redirect": {
      const suggestedBaseUrl = suggestedBase(outcome.location, url);
      return {
        ok: false,
        reason: "redirect",
        status: outcome.status,
        detail: outcome.location,
        suggestedBaseUrl,
        message: suggestedBaseUrl
          ? `Your store redirects to ${suggestedBaseUrl}. Enter that address instead and try again.`
          : `Your store redirected the request to ${outcome.location ?? "another page"}. Enter the exact address your store uses (for example https:// instead of http://, or with /index.php if it has no URL rewrites).`,
      };
    }
    case "blocked_address":
      return {
        ok: false,
        reason: "blocked_address",
        detail: outcome.message,
        message: `${host} points to a private or internal network address, which we cannot reach. Enter your store's public address.`,
      };
    case "too_large":
    case "invalid_url":
      return {
        ok: false,
        reason: "unexpected_response",
        detail: outcome.message,
        message: `${host} did not answer like Magento does. Check the store address.`,
      };
  }
}

/** A 2xx only counts when the body is what a `void` webapi method returns (JSON, usually `[]`). */
function looksLikeMagentoSuccess(body: Buffer): boolean {
  const text = body.toString("utf8").trim();
  if (text === "") return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function pair(request: PairRequest): Promise<PairOutcome> {
  const normalised = normalisePairingInput(request, { requireHttps: request.requireHttps });
  if (!normalised.ok) {
    return {
      ok: false,
      reason: "invalid_input",
      fields: normalised.fields,
      message: Object.values(normalised.fields)
        .map((f) => f.message)
        .join(" "),
    };
  }
  const ledgerBaseUrl = normaliseBaseUrl(request.ledgerBaseUrl);
  // Our own configuration, validated at boot: a bad value here is a bug, not a merchant error.
  if (!ledgerBaseUrl) throw new Error("ledgerBaseUrl must be an absolute http(s) URL");

  const { magentoBaseUrl, pairingCode } = normalised.value;
  const url = magentoBaseUrl + PAIR_PATH;
  const fetchImpl = request.fetchImpl ?? createGuardedFetch({ allowPrivate: false });
  const outcome = await fetchImpl(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      pairing_code: pairingCode,
      tenant_id: request.connectionId,
      byte8_api_key: request.apiKey,
      ledger_base_url: ledgerBaseUrl,
    }),
  });

  const log = childLog({ component: "magento-pairing", connectionId: request.connectionId, magentoHost: new URL(magentoBaseUrl).host });
  if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
    if (looksLikeMagentoSuccess(outcome.body)) {
      log.info({ status: outcome.status }, "magento pairing succeeded");
      return { ok: true, status: outcome.status, magentoBaseUrl };
    }
    log.warn({ status: outcome.status }, "pairing answered 2xx with a non-JSON body");
    return {
      ok: false,
      reason: "unexpected_response",
      status: outcome.status,
      message: `${new URL(magentoBaseUrl).host} answered, but not like Magento does. Check that this is your store's address.`,
    };
  }
  const failure = describe(outcome, magentoBaseUrl, url);
  log.warn({ reason: failure.reason, status: failure.status, detail: failure.detail }, "magento pairing failed");
  return failure;
}

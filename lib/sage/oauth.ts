import { z } from "zod";
import { SyncError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import type { SageEndpoints } from "./config";
import { SageInvalidGrantError, classifySageResponse } from "./errors";
import { DEFAULT_TIMEOUT_MS, sendRequest, type FetchLike } from "./http";

/**
 * Sage OAuth 2 authorization-code flow (sage-api §3.1, D8): authorize URL, code exchange, refresh,
 * revoke. Pure protocol — persisting the rotated pair atomically (refresh tokens are single-use)
 * is token custody's job, which is why `invalid_grant` is its own error type.
 */

export type SageScope = "full_access" | "readonly";

export type SageTokenSet = {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  scope: string | null;
  expiresAt: Date;
  refreshTokenExpiresAt: Date;
  /** The Sage user GUID that authorised the connection. */
  requestedById: string | null;
};

/** D8: refresh tokens last 31 days; used only if Sage ever omits `refresh_token_expires_in`. */
const REFRESH_TOKEN_LIFETIME_SECONDS = 2_678_400;

const seconds = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform(Number)
  .pipe(z.number().int().positive());

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().default("bearer"),
  scope: z.string().nullish(),
  expires_in: seconds,
  refresh_token_expires_in: seconds.optional(),
  requested_by_id: z.string().nullish(),
});

const oauthErrorBody = z.looseObject({ error: z.string(), error_description: z.string().nullish() });

export type SageOAuthOptions = {
  endpoints: SageEndpoints;
  fetchImpl?: FetchLike;
  timeoutMs?: number;
  /** Clock for `expiresAt`; tests pin it. */
  now?: () => Date;
};

const oauthLog = childLog({ component: "sage.oauth" });

export function createSageOAuth({
  endpoints,
  fetchImpl = fetch,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  now = () => new Date(),
}: SageOAuthOptions) {
  /** The consent URL. Keeps whatever query the configured URL carries (`filter=apiv3.1`). */
  function buildAuthorizeUrl(opts: { state: string; scope?: SageScope; country?: string; locale?: string }): string {
    const url = new URL(endpoints.authorizeUrl);
    url.searchParams.set("client_id", endpoints.clientId);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("redirect_uri", endpoints.redirectUri);
    url.searchParams.set("scope", opts.scope ?? "full_access");
    url.searchParams.set("state", opts.state);
    if (opts.country) url.searchParams.set("country", opts.country.toLowerCase());
    if (opts.locale) url.searchParams.set("locale", opts.locale);
    return url.toString();
  }

  async function postForm(url: string, form: Record<string, string>, what: string) {
    return sendRequest(
      fetchImpl,
      url,
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams(form).toString(),
      },
      timeoutMs,
      what,
    );
  }

  /**
   * Token endpoint failures: `invalid_grant` is final; rate limits and 5xx are transient; any
   * other OAuth error (`invalid_client`, `unauthorized_client`…) is a configuration problem → auth.
   */
  function tokenFailure(status: number, text: string, retryAfter: string | null, what: string): SyncError {
    let body: z.infer<typeof oauthErrorBody> | undefined;
    try {
      const parsed = oauthErrorBody.safeParse(JSON.parse(text));
      body = parsed.success ? parsed.data : undefined;
    } catch {
      body = undefined;
    }
    const detail = body ? body.error + (body.error_description ? ` (${body.error_description})` : "") : `HTTP ${status}`;
    oauthLog.warn({ what, status, oauthError: body?.error }, "sage token endpoint refused");
    if (body?.error === "invalid_grant") return new SageInvalidGrantError(`${what} rejected: ${detail}`, status);
    if (status === 429 || status >= 500) return classifySageResponse({ status, rawBody: text, retryAfter });
    return new SyncError("auth", `${what} rejected: ${detail}`, { status, providerCode: body?.error });
  }

  async function tokenRequest(form: Record<string, string>, what: string): Promise<SageTokenSet> {
    const issuedAt = now().getTime();
    const res = await postForm(endpoints.tokenUrl, { ...form, client_id: endpoints.clientId, client_secret: endpoints.clientSecret }, what);
    if (res.status < 200 || res.status >= 300) {
      throw tokenFailure(res.status, res.text, res.headers.get("retry-after"), what);
    }
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new SyncError("serde", `${what}: token response is not JSON`, { status: res.status });
    }
    const parsed = tokenResponse.safeParse(json);
    if (!parsed.success) {
      // Only the failing paths are reported: the body itself holds tokens.
      const paths = parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ");
      throw new SyncError("serde", `${what}: unexpected token response (${paths})`, { status: res.status });
    }
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      tokenType: t.token_type,
      scope: t.scope ?? null,
      expiresAt: new Date(issuedAt + t.expires_in * 1000),
      refreshTokenExpiresAt: new Date(issuedAt + (t.refresh_token_expires_in ?? REFRESH_TOKEN_LIFETIME_SECONDS) * 1000),
      requestedById: t.requested_by_id ?? null,
    };
  }

  /** Exchanges the callback's `code` (valid 60 s, single use). */
  function exchangeCode(code: string): Promise<SageTokenSet> {
    return tokenRequest({ grant_type: "authorization_code", code, redirect_uri: endpoints.redirectUri }, "Sage code exchange");
  }

  /** Rotates the pair: the refresh token passed in is dead once this succeeds. */
  function refreshTokens(refreshToken: string): Promise<SageTokenSet> {
    return tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken }, "Sage token refresh");
  }

  /** Revokes a refresh token (and with it the connection). A token Sage no longer knows counts as revoked. */
  async function revokeToken(token: string): Promise<void> {
    const res = await postForm(
      endpoints.revokeUrl,
      { token, client_id: endpoints.clientId, client_secret: endpoints.clientSecret },
      "Sage token revoke",
    );
    if (res.status >= 200 && res.status < 300) return;
    const failure = tokenFailure(res.status, res.text, res.headers.get("retry-after"), "Sage token revoke");
    if (failure instanceof SageInvalidGrantError) return;
    throw failure;
  }

  return { buildAuthorizeUrl, exchangeCode, refreshTokens, revokeToken };
}

export type SageOAuth = ReturnType<typeof createSageOAuth>;

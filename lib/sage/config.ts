import { z } from "zod";

/**
 * Where Sage lives. Real Sage splits OAuth and API across three hosts (D8); the emulator serves
 * the same paths under one origin, so every URL is configurable and nothing else in `lib/sage`
 * knows a hostname.
 */
export type SageEndpoints = {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** Includes the `/v3.1` base path, without a trailing slash. */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
};

export const SAGE_DEFAULTS = {
  authorizeUrl: "https://www.sageone.com/oauth2/auth/central?filter=apiv3.1",
  tokenUrl: "https://oauth.accounting.sage.com/token",
  revokeUrl: "https://oauth.accounting.sage.com/revoke",
  apiBaseUrl: "https://api.accounting.sage.com/v3.1",
} as const;

const httpUrl = z.url({ protocol: /^https?$/ });
const withoutTrailingSlash = (u: string) => u.replace(/\/+$/, "");

const envSchema = z.object({
  SAGE_OAUTH_AUTHORIZE_URL: httpUrl.default(SAGE_DEFAULTS.authorizeUrl),
  SAGE_OAUTH_TOKEN_URL: httpUrl.default(SAGE_DEFAULTS.tokenUrl),
  SAGE_OAUTH_REVOKE_URL: httpUrl.default(SAGE_DEFAULTS.revokeUrl),
  SAGE_API_BASE_URL: httpUrl.default(SAGE_DEFAULTS.apiBaseUrl),
  SAGE_CLIENT_ID: z.string().min(1),
  SAGE_CLIENT_SECRET: z.string().min(1),
  SAGE_REDIRECT_URI: httpUrl,
});

/** Empty strings count as unset, so `SAGE_API_BASE_URL=` in a .env file falls back to the default. */
function blankToUndefined(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "" ? undefined : v]));
}

/**
 * Reads the Sage configuration from the environment. Throws naming the offending variables only —
 * never their values, since one of them is the client secret.
 */
export function sageEndpointsFromEnv(env: Record<string, string | undefined> = process.env): SageEndpoints {
  const parsed = envSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].sort();
    throw new Error(`Invalid Sage configuration: check ${names.join(", ")}`);
  }
  const e = parsed.data;
  return {
    authorizeUrl: e.SAGE_OAUTH_AUTHORIZE_URL,
    tokenUrl: e.SAGE_OAUTH_TOKEN_URL,
    revokeUrl: e.SAGE_OAUTH_REVOKE_URL,
    apiBaseUrl: withoutTrailingSlash(e.SAGE_API_BASE_URL),
    clientId: e.SAGE_CLIENT_ID,
    clientSecret: e.SAGE_CLIENT_SECRET,
    redirectUri: e.SAGE_REDIRECT_URI,
  };
}

/** The emulator's layout: every Sage surface under one origin (`sim/sage`). */
export function sageEndpointsForOrigin(
  origin: string,
  creds: Pick<SageEndpoints, "clientId" | "clientSecret" | "redirectUri">,
): SageEndpoints {
  const base = withoutTrailingSlash(httpUrl.parse(origin));
  return {
    authorizeUrl: `${base}/oauth2/auth/central?filter=apiv3.1`,
    tokenUrl: `${base}/token`,
    revokeUrl: `${base}/revoke`,
    apiBaseUrl: `${base}/v3.1`,
    ...creds,
  };
}

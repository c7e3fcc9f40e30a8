import { z } from "zod";
import { SAGE_DEFAULTS, sageEnv } from "@/lib/env";

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

export { SAGE_DEFAULTS };

const httpUrl = z.url({ protocol: /^https?$/ });
const withoutTrailingSlash = (u: string) => u.replace(/\/+$/, "");

/**
 * The Sage configuration of the environment (lib/env.ts `sageEnv`: throws naming the offending
 * variables only, never their values). `source` is for tests.
 */
export function sageEndpointsFromEnv(source?: Record<string, string | undefined>): SageEndpoints {
  const e = sageEnv(source);
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

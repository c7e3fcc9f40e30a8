/**
 * The security headers of every page, API answer and error page (proxy.ts sets them on each
 * response, whatever route — or no route — answers). Only the Magento embed may be framed, and only by
 * its paired store's origin (its CSP comes from the connection row); everything else refuses framing
 * both ways (CSP frame-ancestors for current browsers, X-Frame-Options for old ones). Production adds
 * Strict-Transport-Security: Ledger is served over HTTPS there (browsers ignore it over plain HTTP).
 */

export const HSTS = "max-age=63072000; includeSubDomains";

export function securityHeaders(opts: { production: boolean; frameAncestors: string | null }): Record<string, string> {
  return {
    "Content-Security-Policy": opts.frameAncestors ?? "frame-ancestors 'none'",
    ...(opts.frameAncestors ? {} : { "X-Frame-Options": "DENY" }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    ...(opts.production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

import { NextResponse, type NextRequest } from "next/server";
import { embedCsp, findEmbedConnection } from "@/lib/bindings/embed";
import { isProduction } from "@/lib/env";
import { securityHeaders } from "@/lib/http/security-headers";

/**
 * Security headers on every response, error pages included (lib/http/security-headers.ts). Only the
 * embedded view (/embed/{connection id}, wire-protocol §10) may be framed, and only by the paired
 * store's origin: its Content-Security-Policy is decided per request from the connection row (no
 * X-Frame-Options, which cannot name an origin).
 */
export async function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  let frameAncestors: string | null = null;
  if (path.startsWith("/embed/")) {
    let connectionId = "";
    try {
      connectionId = decodeURIComponent(path.split("/")[2] ?? "");
    } catch {
      // a malformed escape names no connection: nothing may frame it
    }
    frameAncestors = embedCsp(await findEmbedConnection(connectionId));
  }
  const response = NextResponse.next();
  for (const [k, v] of Object.entries(securityHeaders({ production: isProduction(), frameAncestors }))) response.headers.set(k, v);
  return response;
}

// Everything but the build's static assets and Magento's webhook deliveries: a proxy in front of a
// POST makes Next copy its body for the proxy before the route reads it, on the hottest path Ledger
// has. Webhook answers get the same headers from next.config.ts, where no route code runs.
export const config = { matcher: "/((?!_next/static|_next/image|webhooks/).*)" };

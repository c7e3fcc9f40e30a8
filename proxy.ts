import { NextResponse, type NextRequest } from "next/server";
import { embedCsp, findEmbedConnection } from "@/lib/bindings/embed";

/**
 * Only the embedded view (/embed/{connection id}, wire-protocol §10) may be framed, and only by the
 * paired store's origin: its Content-Security-Policy is decided per request from the connection row
 * (no X-Frame-Options, which cannot name an origin). Everything else is left untouched.
 */
export async function proxy(request: NextRequest) {
  const segment = request.nextUrl.pathname.split("/")[2] ?? "";
  let connectionId = "";
  try {
    connectionId = decodeURIComponent(segment);
  } catch {
    // a malformed escape names no connection: nothing may frame it
  }
  const response = NextResponse.next();
  response.headers.set("Content-Security-Policy", embedCsp(await findEmbedConnection(connectionId)));
  return response;
}

export const config = { matcher: "/embed/:path*" };

import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { readiness } from "@/lib/readiness";

/**
 * `GET /api/ready` — readiness: 200 when the database answers, this build's migrations are applied
 * and the Inngest server is reachable; 503 otherwise, with every check's status either way
 * (lib/readiness). Unauthenticated: the body carries codes and counts, never hosts or secrets.
 */
export const GET = route("api.ready", async () => {
  const result = await readiness();
  return NextResponse.json(result, { status: result.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});

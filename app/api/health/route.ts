import { NextResponse } from "next/server";

/**
 * `GET /api/health` — liveness: the process is up and serving requests. No I/O at all, so a load
 * balancer or the container's HEALTHCHECK never restarts the app because a dependency is slow; that
 * is what `/api/ready` reports. Unauthenticated; says nothing about the deployment.
 */
export function GET() {
  return NextResponse.json({ status: "ok", uptime_seconds: Math.round(process.uptime()) }, { headers: { "Cache-Control": "no-store" } });
}

import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // The container image (Dockerfile) builds with NEXT_OUTPUT=standalone: a self-contained server.js
  // with only the traced node_modules. `next start` (demo, tests) keeps the ordinary output.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // /api/ready compares the shipped migrations with the database; they are read at run time.
  outputFileTracingIncludes: { "/api/ready": ["./prisma/migrations/**/*"] },
  // Route handlers must see the exact bytes Magento signed; nothing here rewrites bodies.
  poweredByHeader: false,
  // pino and pg are server-only Node packages; keep them out of the bundler.
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  // Security headers (anti-framing, HSTS in production…) are set on every response, error pages
  // included, by proxy.ts — not here: config headers do not reach every error page. The exception is
  // Magento's webhook path, which proxy.ts skips (see its matcher): every answer there, the route's
  // and Next's own (405, 404), carries the same headers from here.
  async headers() {
    const production = process.env.NODE_ENV === "production";
    const headers = Object.entries(securityHeaders({ production, frameAncestors: null })).map(([key, value]) => ({ key, value }));
    return [{ source: "/webhooks/:path*", headers }];
  },
};

export default nextConfig;

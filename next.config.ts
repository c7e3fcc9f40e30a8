import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Route handlers must see the exact bytes Magento signed; nothing here rewrites bodies.
  poweredByHeader: false,
  // pino and pg are server-only Node packages; keep them out of the bundler.
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  // Security headers (anti-framing, HSTS in production…) are set on every response, error pages
  // included, by proxy.ts — not here: config headers do not reach every error page.
};

export default nextConfig;

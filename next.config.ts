import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Route handlers must see the exact bytes Magento signed; nothing here rewrites bodies.
  poweredByHeader: false,
  // pino and pg are server-only Node packages; keep them out of the bundler.
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
};

export default nextConfig;

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Route handlers must see the exact bytes Magento signed; nothing here rewrites bodies.
  poweredByHeader: false,
  // pino and pg are server-only Node packages; keep them out of the bundler.
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  async headers() {
    return [
      {
        // Nothing but the Magento embed (whose per-store policy proxy.ts sets) may be framed: no clickjacking
        // of the dashboard, sign-in or settings.
        source: "/((?!embed/).*)",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;

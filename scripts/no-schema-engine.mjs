#!/usr/bin/env node
// Placeholder for Prisma's native schema engine, which cannot be downloaded on offline machines.
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here only for generate/validate/format,
// which never execute it. If anything does run it, say what to use instead.
process.stderr.write(
  "Prisma's native schema engine is not installed on this machine.\n" +
    "Use the offline scripts instead: npm run db:deploy | db:status | db:migrate | db:reset | db:check\n",
);
process.exit(1);

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/src/generated/prisma/client";
import { env, settings } from "@/lib/env";

/**
 * One PrismaClient per process. Outside production it is cached on globalThis so Next's dev hot
 * reloads don't open a new pool each time.
 */
const globalForPrisma = globalThis as unknown as { __ledgerPrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: settings().DATABASE_POOL_MAX });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  if (!globalForPrisma.__ledgerPrisma) globalForPrisma.__ledgerPrisma = createClient();
  return globalForPrisma.__ledgerPrisma;
}

export * from "@/src/generated/prisma/client";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/src/generated/prisma/client";
import { env, settings } from "@/lib/env";

/**
 * One PrismaClient per process. Outside production it is cached on globalThis so Next's dev hot
 * reloads don't open a new pool each time.
 */
const globalForPrisma = globalThis as unknown as { __ledgerPrisma?: PrismaClient };

const PREPARED = /^\s*\/\* prepared:([a-z][a-z0-9_]*) \*\//;

/**
 * The prepared-statement name of a hot raw statement, or "" (unnamed) for everything else. A statement
 * opts in by starting with `/* prepared:<name> *\/`: each pooled connection then parses it once, and
 * PostgreSQL settles on one plan after a few runs instead of parsing and planning it on every call
 * (a quarter of the database's CPU per webhook). Prisma's own queries stay unnamed: their texts vary
 * too much to keep. Like the key cache's LISTEN, this needs a direct session, not a transaction pooler.
 */
export function statementName(sql: string): string {
  return PREPARED.exec(sql)?.[1] ?? "";
}

function createClient(): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: env().DATABASE_URL, max: settings().DATABASE_POOL_MAX },
    { statementNameGenerator: (query) => statementName(query.sql) },
  );
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  if (!globalForPrisma.__ledgerPrisma) globalForPrisma.__ledgerPrisma = createClient();
  return globalForPrisma.__ledgerPrisma;
}

export * from "@/src/generated/prisma/client";

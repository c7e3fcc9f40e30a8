import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/src/generated/prisma/client";
import pg from "pg";
import { env, settings } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * One PrismaClient and one pool per process, kept on globalThis so that Next's dev hot reloads reuse
 * them instead of opening a new pool each time.
 */
const globalForPrisma = globalThis as unknown as { __ledgerPrisma?: PrismaClient; __ledgerPool?: pg.Pool };

/**
 * The process's one pool of PostgreSQL connections: Prisma runs on it, and so do the few hot
 * statements of `hotQuery`. It outlives `$disconnect()` (Prisma does not own it); idle connections
 * never keep a finished script alive, and one the server closes (a restart, a dropped test
 * database) is logged, not a crash.
 */
function pool(): pg.Pool {
  if (!globalForPrisma.__ledgerPool) {
    const p = new pg.Pool({ connectionString: env().DATABASE_URL, max: settings().DATABASE_POOL_MAX, allowExitOnIdle: true });
    p.on("error", (err) => log.warn({ err: err.message }, "an idle database connection was closed"));
    globalForPrisma.__ledgerPool = p;
  }
  return globalForPrisma.__ledgerPool;
}

export function db(): PrismaClient {
  globalForPrisma.__ledgerPrisma ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return globalForPrisma.__ledgerPrisma;
}

/**
 * A statement every webhook runs, sent straight to the pool as a named prepared statement: each
 * pooled connection parses it once and PostgreSQL settles on one plan, and no query layer sits in
 * between (Prisma's raw query costs about 0.1 ms of CPU per call, as much as the database spends on
 * a batch of intake). Only for intake's few statements; everything else goes through Prisma.
 * Parameters are $1, $2…; errors are pg's own, which lib/errors classifies as Prisma's.
 */
export async function hotQuery<T extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<T[]> {
  return (await pool().query<T>({ name, text, values })).rows;
}

export * from "@/src/generated/prisma/client";

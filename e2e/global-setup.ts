import { mkdirSync, writeFileSync } from "node:fs";
import { assertTestDatabase, truncateAll } from "../test/support/db";
import { OTHER, OWNER, SEED_FILE, type Seed } from "./fixtures";

/**
 * Seeds two tenants with one owner each, then the history and merchant seeds, with the same
 * Prisma-based builders as the integration tests (test/support/builders). Refuses any database that
 * is not local and named *_test, because it truncates everything first.
 */
export default async function globalSetup(): Promise<void> {
  const url = assertTestDatabase(process.env.DATABASE_URL);
  await truncateAll(url);
  // Imported after the check: the builders open the app's pool on DATABASE_URL.
  const [{ db }, { makeMember, makeTenant }] = await Promise.all([import("../lib/db"), import("../test/support/builders/workspace")]);
  try {
    const seed: Partial<Seed> = {};
    for (const [who, key] of [
      [OWNER, "acmeTenantId"],
      [OTHER, "rivalTenantId"],
    ] as const) {
      const tenant = await makeTenant(who.tenant);
      await makeMember(tenant.id, "owner", who.email, { name: who.name, password: who.password });
      seed[key] = tenant.id;
    }
    mkdirSync("test-results", { recursive: true });
    await (await import("./seed-history")).seedHistory(seed as Seed);
    await (await import("./seed-merchant")).seedMerchant();
    await (await import("./seed-reconciliation")).seedReconciliation();
    writeFileSync(SEED_FILE, JSON.stringify(seed));
  } finally {
    await db().$disconnect();
  }
}

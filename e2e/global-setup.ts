import { mkdirSync, writeFileSync } from "node:fs";
import { hashPassword } from "../lib/auth/password";
import { assertTestDatabase, truncateAll } from "../test/utils/db";
import { OTHER, OWNER, SEED_FILE, type Seed } from "./fixtures";
import pg from "pg";

/**
 * Seeds two tenants with one owner each. Refuses any database that is not local and named *_test,
 * because it truncates everything first.
 */
export default async function globalSetup(): Promise<void> {
  const url = assertTestDatabase(process.env.DATABASE_URL);
  await truncateAll(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const seed: Partial<Seed> = {};
    for (const [who, key] of [[OWNER, "acmeTenantId"], [OTHER, "rivalTenantId"]] as const) {
      const { rows: [t] } = await client.query<{ id: string }>(
        "insert into tenants (id, name, updated_at) values (gen_random_uuid(), $1, now()) returning id",
        [who.tenant],
      );
      const { rows: [u] } = await client.query<{ id: string }>(
        "insert into users (id, email, name, password_hash, updated_at) values (gen_random_uuid(), $1, $2, $3, now()) returning id",
        [who.email, who.name, await hashPassword(who.password)],
      );
      await client.query("insert into memberships (id, tenant_id, user_id, role) values (gen_random_uuid(), $1, $2, 'owner')", [t.id, u.id]);
      seed[key] = t.id;
    }
    mkdirSync("test-results", { recursive: true });
    await (await import("./seed-history")).seedHistory(client, seed as Seed);
    await (await import("./seed-merchant")).seedMerchant(client);
    writeFileSync(SEED_FILE, JSON.stringify(seed));
  } finally {
    await client.end();
  }
}

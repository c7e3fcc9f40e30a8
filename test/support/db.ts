import pg from "pg";

/** Tests may only ever touch a local database whose name ends in `_test`. */
export function assertTestDatabase(url: string | undefined = process.env.DATABASE_URL): string {
  if (!url) throw new Error("DATABASE_URL is not set for tests");
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!name.endsWith("_test")) throw new Error(`Refusing to run tests against database "${name}": its name must end in _test`);
  if (!["localhost", "127.0.0.1", "[::1]", "::1", ""].includes(u.hostname)) {
    throw new Error(`Refusing to run tests against non-local database host ${u.hostname}`);
  }
  return url;
}

/** Empty every table of the app schema (keeps _prisma_migrations, so the database stays migrated). */
export async function truncateAll(url: string = assertTestDatabase()): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      `select format('%I.%I', schemaname, tablename) as t from pg_tables
        where schemaname = current_schema() and tablename <> '_prisma_migrations'`,
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => r.t).join(", ")} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}

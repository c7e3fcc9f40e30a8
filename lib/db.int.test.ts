import "@/test/support/env";
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { db, hotQuery } from "@/lib/db";
import { isDatabaseError, isTransientInfraError } from "@/lib/errors";

/** Intake's hot statements skip Prisma's query layer but not its pool, and keep one plan per connection. */

after(() => db().$disconnect());

test("a hot statement runs as a prepared statement of its name, and again from it", async () => {
  const first = await hotQuery<{ n: number }>("db_test_probe", "SELECT $1::int + 1 AS n", [41]);
  const again = await hotQuery<{ n: number }>("db_test_probe", "SELECT $1::int + 1 AS n", [1]);
  assert.deepEqual([first[0].n, again[0].n], [42, 2]);
  // The connection that ran it holds it under that name.
  const seen = await hotQuery<{ name: string }>("db_test_prepared", "SELECT name FROM pg_prepared_statements", []);
  assert.ok(
    seen.some((p) => p.name === "db_test_probe"),
    `prepared here: ${seen.map((p) => p.name).join(", ")}`,
  );
});

test("a hot statement the database refuses fails as a database error (503 at the route), not as a bug", async () => {
  const err = await hotQuery("db_test_refused", "SELECT 1 / $1::int AS n", [0]).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof Error, "division by zero is refused");
  assert.equal(isDatabaseError(err), true);
  assert.equal(isTransientInfraError(err), false);
});

test("the pool outlives $disconnect: Prisma and the hot statements both work after it", async () => {
  await db().$disconnect();
  assert.deepEqual(await hotQuery<{ ok: boolean }>("db_test_after", "SELECT true AS ok", []), [{ ok: true }]);
  assert.equal((await db().$queryRaw<{ n: number }[]>`SELECT 1::int AS n`)[0].n, 1);
});

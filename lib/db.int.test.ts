import "@/test/support/env";
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { db, statementName } from "@/lib/db";

/** Hot raw statements opt in to prepared statements by a leading comment; nothing else is named. */

after(() => db().$disconnect());

test("a statement names itself with a leading /* prepared:<name> */, anything else stays unnamed", () => {
  assert.equal(statementName("/* prepared:intake_key_state */\n    WITH b AS (SELECT 1) SELECT * FROM b"), "intake_key_state");
  assert.equal(statementName("\n  /* prepared:runs_dispatched */ UPDATE sync_runs SET x = 1"), "runs_dispatched");
  assert.equal(statementName("SELECT 1 /* prepared:not_leading */"), "");
  assert.equal(statementName('SELECT "id" FROM "public"."sync_runs" WHERE "id" = $1'), "");
  assert.equal(statementName("/* prepared:Bad-Name */ SELECT 1"), "");
});

test("a marked raw statement reaches PostgreSQL as a prepared statement of that name, and runs again from it", async () => {
  const prepared = await db().$transaction(async (tx) => {
    // One transaction, one pooled connection: the session whose prepared statements are listed.
    const first = await tx.$queryRaw<{ n: number }[]>`/* prepared:db_test_probe */ SELECT ${41}::int + 1 AS n`;
    const again = await tx.$queryRaw<{ n: number }[]>`/* prepared:db_test_probe */ SELECT ${1}::int + 1 AS n`;
    assert.deepEqual([first[0].n, again[0].n], [42, 2]);
    return tx.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements ORDER BY name`;
  });
  const names = prepared.map((p) => p.name);
  assert.ok(names.includes("db_test_probe"), `prepared on this connection: ${names.join(", ")}`);
  assert.ok(
    names.every((n) => /^[a-z][a-z0-9_]*$/.test(n)),
    `only marked statements are named: ${names.join(", ")}`,
  );
});

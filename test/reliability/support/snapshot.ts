import pg from "pg";

/**
 * Test-only: every row of every table in the `public` schema as text, so a test can prove that a
 * refused call changed nothing (or only rows it is allowed to touch).
 */

export type Snapshot = Map<string, Set<string>>;

export async function snapshot(url = process.env.DATABASE_URL): Promise<Snapshot> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1",
    );
    const out: Snapshot = new Map();
    for (const { t } of tables) {
      const { rows } = await c.query<{ r: string }>(`SELECT to_jsonb(x)::text AS r FROM public."${t.replace(/"/g, '""')}" x`);
      out.set(t, new Set(rows.map((x) => x.r)));
    }
    return out;
  } finally {
    await c.end();
  }
}

/** Rows added or removed per table (an update shows as one of each). */
export function diff(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [table, rows] of after) {
    const old = before.get(table) ?? new Set<string>();
    for (const r of rows) if (!old.has(r)) changes.push(`${table} + ${r.slice(0, 300)}`);
    for (const r of old) if (!rows.has(r)) changes.push(`${table} - ${r.slice(0, 300)}`);
  }
  return changes;
}

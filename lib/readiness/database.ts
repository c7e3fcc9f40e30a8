import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { timed, withTimeout, type CheckResult } from "./checks";

/**
 * Database readiness: the pool reaches PostgreSQL, and every migration this build ships is applied
 * (a build whose migrations were not deployed would fail on its first query of a new column).
 */

const TIMEOUT_MS = 3000;

export function databaseCheck(): Promise<CheckResult> {
  return timed(
    async () => {
      await withTimeout(db().$queryRaw`SELECT 1`, TIMEOUT_MS);
      return { status: "ok", detail: "PostgreSQL answers" };
    },
    (code) => `PostgreSQL cannot be reached (${code})`,
  );
}

/**
 * The migrations this build ships: the directories of prisma/migrations. next.config.ts traces
 * them into the build output; the annotation stops the bundler from tracing all of the working
 * directory because of this dynamic path.
 */
export function shippedMigrations(dir = path.join(/* turbopackIgnore: true */ process.cwd(), "prisma", "migrations")): string[] {
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort((a, b) => a.localeCompare(b));
}

interface MigrationRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Pure: what the `_prisma_migrations` rows say about the shipped list. */
export function compareMigrations(shipped: string[], rows: MigrationRow[]): { applied: number; pending: string[]; failed: string[] } {
  const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  const failed = [...new Set(rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name))].sort();
  return { applied: shipped.filter((m) => done.has(m)).length, pending: shipped.filter((m) => !done.has(m)), failed };
}

export function migrationsCheck(dir?: string): Promise<CheckResult> {
  return timed(
    async () => {
      const shipped = shippedMigrations(dir);
      // No _prisma_migrations table at all: nothing was ever deployed to this database.
      const [{ present }] = await withTimeout(
        db().$queryRaw<{ present: boolean }[]>`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`,
        TIMEOUT_MS,
      );
      const rows = present
        ? await withTimeout(
            db().$queryRaw<MigrationRow[]>`SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations`,
            TIMEOUT_MS,
          )
        : [];
      const { applied, pending, failed } = compareMigrations(shipped, rows);
      const ok = pending.length === 0 && failed.length === 0;
      const detail = ok
        ? `all ${shipped.length} migrations applied`
        : failed.length
          ? `a migration failed (${failed.join(", ")}): resolve it, then run the deploy again`
          : `${pending.length} of ${shipped.length} migrations not applied: run \`npm run db:deploy\``;
      return { status: ok ? "ok" : "fail", detail, applied, pending, failed };
    },
    (code) => (code === "ENOENT" ? "the build has no prisma/migrations folder" : `the migration table cannot be read (${code})`),
  );
}

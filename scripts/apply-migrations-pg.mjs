#!/usr/bin/env node
// Pure-`pg` equivalent of `prisma migrate deploy`, rebuilt from prisma-engines' apply_migrations.rs and
// its SQL migration persistence (spec /work/shared/spec/prisma-offline.md §7.3). It writes the same
// `_prisma_migrations` rows as the WASM engine and honours its failure records and advisory lock.
// It is the independent cross-check for scripts/wasm-engine.mjs, and a fallback for a runtime that
// cannot load WASM. It has no dev, diff or status.
//
// Usage: DATABASE_URL=… node scripts/apply-migrations-pg.mjs [migrationsDir=prisma/migrations]

import { createHash, randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** The key `prisma migrate` locks with; released when the connection closes. */
const ADVISORY_LOCK_KEY = 72707369;

/** Character for character the postgres flavour's create_migrations_table DDL (§7.1). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** An error carrying Prisma's error code (P3005, P3009, P3018). */
export class MigrationError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
  }
}

/**
 * Applies every pending migration in `migrationsDir`, in `localeCompare` order of directory name.
 * @param {{ url: string, migrationsDir: string, log?: (message: string) => void }} options
 * @returns {Promise<string[]>} the names applied by this call
 */
export async function applyMigrations({ url, migrationsDir, log = () => {} }) {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b));

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);

    const { rows: tableRows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
    if (!tableRows.some((r) => r.tablename === "_prisma_migrations")) {
      if (tableRows.length > 0) {
        throw new MigrationError(
          "P3005",
          "The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline",
        );
      }
      await client.query(CREATE_MIGRATIONS_TABLE);
    }

    const { rows } = await client.query(
      "SELECT migration_name, started_at, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
    );
    const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed.length > 0) {
      throw new MigrationError(
        "P3009",
        "migrate found failed migrations in the target database, new migrations will not be applied. " +
          "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n" +
          failed.map((r) => `The \`${r.migration_name}\` migration started at ${r.started_at.toISOString()} failed`).join("\n"),
      );
    }
    const applied = new Set(rows.filter((r) => r.rolled_back_at === null).map((r) => r.migration_name));

    /** @type {string[]} */
    const appliedNow = [];
    for (const name of names.filter((n) => !applied.has(n))) {
      const script = await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(script, "utf8").digest("hex");
      const id = randomUUID();
      await client.query("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)", [
        id,
        checksum,
        name,
      ]);
      log(`Applying migration \`${name}\``);
      try {
        // One parameterless query = simple protocol = one implicit transaction, as the engine sends it.
        await client.query(script);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await client.query("UPDATE _prisma_migrations SET logs = $1 WHERE id = $2", [message, id]);
        throw new MigrationError(
          "P3018",
          "A migration failed to apply. New migrations cannot be applied before the error is recovered from. " +
            "Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
            `Migration name: ${name}\n\nDatabase error:\n${message}`,
        );
      }
      // Two separate updates, as the engine records them.
      await client.query("UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1", [id]);
      await client.query("UPDATE _prisma_migrations SET finished_at = now() WHERE id = $1", [id]);
      appliedNow.push(name);
    }
    return appliedNow;
  } finally {
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("Error: DATABASE_URL is not set.");
    process.exit(2);
  }
  try {
    const applied = await applyMigrations({
      url,
      migrationsDir: path.resolve(process.argv[2] ?? "prisma/migrations"),
      log: (message) => console.log(message),
    });
    console.log(applied.length === 0 ? "No pending migrations to apply." : `${applied.length} migration(s) applied.`);
    process.exitCode = 0;
  } catch (error) {
    const code = error instanceof MigrationError ? `${error.code}: ` : "";
    console.error(`Error: ${code}${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

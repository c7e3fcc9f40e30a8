// Prisma's schema engine compiled to WebAssembly, driven through a corrected @prisma/adapter-pg.
// Spec: /work/shared/spec/prisma-offline.md §4.2 and §5. The native `schema-engine` binary cannot be
// downloaded offline; this runs the same Rust migration code (applyMigrations, diagnoseMigrationHistory,
// devDiagnostic, diff, reset, …) in-process.
//
// Plain ESM JavaScript on purpose: it runs in production with `node` directly, without tsx.

import { randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";

/** Postgres' single-byte `"char"` type, used all over pg_catalog (relkind, contype, …). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * @typedef {{ path: string, content: string }} SchemaFile
 * @typedef {{ tag: "ok", value: string } | { tag: "error", value: string }} FileContent
 * @typedef {{ path: string, migrationFile: { path: string, content: FileContent } }} MigrationDirectory
 * @typedef {{
 *   baseDir: string,
 *   lockfile: { path: string, content: string | null },
 *   migrationDirectories: MigrationDirectory[],
 *   shadowDbInitScript: string,
 * }} MigrationsList
 * @typedef {{ close: () => Promise<void> }} Disposable
 */

/** Where the glue reports a Rust panic's reason. */
const panicGlobal = /** @type {{ PRISMA_WASM_PANIC_REGISTRY?: { message: string, set_message(m: string): void } }} */ (globalThis);

/** @returns {string} the reason of the last Rust panic in this process, or "" */
export const lastPanicMessage = () => panicGlobal.PRISMA_WASM_PANIC_REGISTRY?.message ?? "";

/** @type {Promise<{ SchemaEngine: any, version: () => string }> | undefined} */
let gluePromise;

/**
 * Loads the WASM engine once per process. The package entry does `import * as wasm from "….wasm"`,
 * which Node 20 cannot do without a flag, so the module is instantiated by hand against the JS glue.
 * @returns {Promise<{ SchemaEngine: any, version: () => string }>}
 */
function loadGlue() {
  gluePromise ??= (async () => {
    // Without the registry a Rust panic surfaces as a TypeError with no reason (§4.2).
    panicGlobal.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      /** @param {string} message */
      set_message(message) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    /** @type {any} */ (instance.exports).__wbindgen_start();
    return { SchemaEngine: glue.SchemaEngine, version: glue.version };
  })();
  return gluePromise;
}

/**
 * Builds the migrations list exactly as the Prisma CLI sends it to the engine.
 * @param {string} baseDir absolute migrations directory
 * @returns {Promise<MigrationsList>}
 */
export async function loadMigrations(baseDir) {
  /** @type {string | null} */
  let lockContent = null;
  try {
    lockContent = await readFile(path.join(baseDir, "migration_lock.toml"), "utf8");
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
  }
  /** @type {string[]} */
  let names = [];
  try {
    const entries = await readdir(baseDir, { withFileTypes: true });
    names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
  }
  names.sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      /** @type {FileContent} */
      let content;
      try {
        content = { tag: "ok", value: await readFile(path.join(baseDir, name, "migration.sql"), "utf8") };
      } catch (error) {
        content = { tag: "error", value: error instanceof Error ? error.message : String(error) };
      }
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

/**
 * Applies the three adapter-pg corrections (§5.2, §5.3) to one queryable: a connection from
 * `connect()`, a transaction from `startTransaction()`, or a shadow connection. Members are replaced
 * per instance and only if present, so an upstream rename fails loudly in the regression suite
 * rather than silently patching nothing useful.
 * @param {any} queryable
 */
function patchQueryable(queryable) {
  /** Column indexes relabelled from "char" to text, keyed by the engine's query object. */
  const charColumns = new WeakMap();

  if (typeof queryable.performIO === "function") {
    const performIO = queryable.performIO.bind(queryable);
    /** @param {any} query */
    queryable.performIO = async (query) => {
      const result = await performIO(query);
      /** @type {number[]} */
      const relabelled = [];
      result?.fields?.forEach((/** @type {{ dataTypeID: number }} */ field, /** @type {number} */ i) => {
        if (field.dataTypeID === PG_CHAR_OID) {
          // Gets the column past adapter-pg's type check; the value is already a one-char string.
          field.dataTypeID = PG_TEXT_OID;
          relabelled.push(i);
        }
      });
      if (relabelled.length > 0) charColumns.set(query, relabelled);
      return result;
    };
  }

  if (typeof queryable.queryRaw === "function") {
    const queryRaw = queryable.queryRaw.bind(queryable);
    /** @param {any} query */
    queryable.queryRaw = async (query) => {
      const result = await queryRaw(query);
      // Text alone is not enough: the describer panics reading CHECK constraints unless the column
      // is reported as Character, which is what the native driver reports.
      for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
      charColumns.delete(query);
      return result;
    };
  }

  if (typeof queryable.executeScript === "function") {
    // Stock executeScript splits on ";" (breaking plpgsql bodies and literals) and is not atomic.
    // The native engine sends the whole file as one simple-protocol query, i.e. one implicit
    // transaction; do the same.
    /** @param {string} script */
    queryable.executeScript = async (script) => {
      try {
        await queryable.client.query(script);
      } catch (error) {
        queryable.onError(error);
      }
    };
  }

  if (typeof queryable.startTransaction === "function") {
    const startTransaction = queryable.startTransaction.bind(queryable);
    /** @param {unknown[]} args */
    queryable.startTransaction = async (...args) => patchQueryable(await startTransaction(...args));
  }
  return queryable;
}

/**
 * Wraps `dispose` so it runs once and leaves the factory's tracking set, whoever calls it first
 * (the engine, or `close()` after an error or panic).
 * @param {any} connection
 * @param {Set<Disposable>} open
 * @param {() => Promise<void>} disposeImpl
 */
function trackDispose(connection, open, disposeImpl) {
  /** @type {Promise<void> | undefined} */
  let disposing;
  const entry = {
    close: () => {
      disposing ??= (async () => {
        open.delete(entry);
        await disposeImpl();
      })();
      return disposing;
    },
  };
  connection.dispose = entry.close;
  open.add(entry);
}

/**
 * adapter-pg factory corrected for the schema engine (§5.1): a real, separate shadow database that is
 * dropped afterwards, plus the per-queryable patches on every connection handed out.
 */
class MigrationPgFactory extends PrismaPg {
  /** @param {string} url */
  constructor(url) {
    super({ connectionString: url });
    this.url = url;
    /** @type {Set<Disposable>} */
    this.open = new Set();
  }

  async connect() {
    const connection = patchQueryable(await super.connect());
    const stockDispose = connection.dispose.bind(connection);
    trackDispose(connection, this.open, stockDispose);
    return connection;
  }

  async connectToShadowDb() {
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = new pg.Client({ connectionString: this.url });
    await admin.connect();
    try {
      // CREATE/DROP DATABASE cannot run in a transaction block, so each is sent on its own.
      await admin.query(`CREATE DATABASE "${database}"`);
    } catch (error) {
      await admin.end();
      throw error;
    }
    // Through the URL, not a `database` option: pg lets the URL's database win over `database`,
    // which is exactly how stock adapter-pg ends up replaying the "shadow" on the main database.
    const shadowUrl = new URL(this.url);
    shadowUrl.pathname = `/${encodeURIComponent(database)}`;
    const connection = patchQueryable(await new PrismaPg({ connectionString: shadowUrl.toString() }).connect());
    const stockDispose = connection.dispose.bind(connection);
    trackDispose(connection, this.open, async () => {
      try {
        await stockDispose();
        // FORCE: after a panic a pooled client can still be checked out mid-transaction.
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    });
    return connection;
  }

  /** Disposes every open connection, newest (shadow) first. */
  async closeAll() {
    /** @type {unknown[]} */
    const errors = [];
    for (const entry of [...this.open].reverse()) {
      await entry.close().catch((/** @type {unknown} */ e) => errors.push(e));
    }
    if (errors.length > 0) throw errors[0];
  }
}

/**
 * Opens the WASM schema engine on `url`.
 * @param {{ url: string, schemaFiles: SchemaFile[], onLog?: (line: string) => void }} options
 * @returns {Promise<{ engine: any, close: () => Promise<void>, engineVersion: string }>}
 */
export async function openEngine({ url, schemaFiles, onLog }) {
  const { SchemaEngine, version } = await loadGlue();
  const factory = new MigrationPgFactory(url);
  /** @param {string} line */
  const logCallback = (line) => onLog?.(line);
  /** @type {any} */
  let engine;
  try {
    engine = await SchemaEngine.new(
      { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
      logCallback,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (error) {
    await factory.closeAll();
    throw error;
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    /** @type {unknown} */
    let freeError;
    try {
      engine.free();
    } catch (error) {
      freeError = error;
    }
    await factory.closeAll();
    // After a Rust panic the dead call still borrows the engine, so free() fails; that is expected.
    if (freeError !== undefined && !lastPanicMessage()) throw freeError;
  };
  return { engine, close, engineVersion: version() };
}

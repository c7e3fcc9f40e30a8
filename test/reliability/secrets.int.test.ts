import "@/test/support/env";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { truncateAll } from "@/test/support/db";

/**
 * After a full pipeline run (invoices, payments, credit memos, a token rotation), no api key, OAuth
 * token or derived signing key appears in any column of any table in the `public` schema, nor anywhere
 * in the run's logs (captured at debug level, Ledger's and the simulators').
 */

const dir = mkdtempSync(path.join(tmpdir(), "ledger-secrets-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function runScenario(file: string): Promise<{ code: number | null; logs: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/reliability/support/secrets-scenario.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, SECRETS_OUT: file, LOG_LEVEL: "debug", MAGENTO_SIM_LOG_LEVEL: "debug", NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let logs = "";
    child.stdout.on("data", (d: Buffer) => (logs += d.toString()));
    child.stderr.on("data", (d: Buffer) => (logs += d.toString()));
    child.on("close", (code) => resolve({ code, logs }));
  });
}

test("no secret in any public table or in the logs after a full pipeline run", { timeout: 240_000 }, async () => {
  await truncateAll();
  const file = path.join(dir, "secrets.json");
  const { code, logs } = await runScenario(file);
  assert.equal(code, 0, `the scenario ran:\n${logs.slice(-3000)}`);
  const { secrets, runs } = JSON.parse(readFileSync(file, "utf8")) as { secrets: string[]; runs: { event: string; status: string }[] };
  assert.ok(secrets.length >= 10, "api key, subkeys, two generations of Sage tokens, app secrets");
  assert.ok(
    runs.length >= 7 && runs.every((r) => r.status === "succeeded" || (r.event === "product.upserted" && r.status === "skipped_by_policy")),
    `the pipeline really ran: ${JSON.stringify(runs)}`,
  );
  assert.ok(logs.split("\n").filter((l) => l.includes(`"service":"ledger"`)).length >= 10, "Ledger's logs were captured");

  const leakedInLogs = secrets.filter((sec) => logs.includes(sec));
  assert.deepEqual(
    leakedInLogs.map((x) => `${x.slice(0, 6)}…`),
    [],
    "no secret in the logs",
  );

  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    assert.ok(tables.length > 10);
    let scanned = 0;
    const leaks: string[] = [];
    for (const { t } of tables) {
      const { rows } = await c.query<{ row: string }>(`SELECT to_jsonb(x)::text AS row FROM public."${t.replace(/"/g, '""')}" x`);
      scanned += rows.length;
      for (const { row } of rows) for (const sec of secrets) if (row.includes(sec)) leaks.push(`${t}: ${sec.slice(0, 6)}…`);
    }
    assert.ok(scanned > 50, `rows were scanned (${scanned})`);
    assert.deepEqual(leaks, [], "no secret stored in plaintext");
  } finally {
    await c.end();
  }
});

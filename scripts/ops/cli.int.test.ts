import "@/test/support/env";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, beforeEach, test } from "node:test";
import { makeTenant } from "@/test/support/builders/workspace";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";

/** `npm run ops -- plan …` as an operator runs it: a child process with the app's environment. */

const CLI = path.join(import.meta.dirname, "cli.ts");

function ops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

beforeEach(() => truncateAll());
after(() => db().$disconnect());

test("plan <workspace> <tier> changes the plan, says so, and audits it; plan <workspace> shows it", async () => {
  const tenant = await makeTenant("Acme Outdoor");
  const changed = await ops("plan", "Acme Outdoor", "growth");
  assert.equal(changed.code, 0, changed.stderr);
  assert.equal(changed.stdout.trim(), `Acme Outdoor (${tenant.id}): Trial → Growth (audited as plan.changed)`);
  assert.equal((await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).planTier, "growth");
  const entry = await db().auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "plan.changed" } });
  assert.deepEqual(
    { ...(entry.data as object), operator: "(os user)" },
    { from: "trial", to: "growth", via: "ops-cli", operator: "(os user)" },
  );

  const shown = await ops("plan", tenant.id);
  assert.deepEqual([shown.code, shown.stdout.trim()], [0, `Acme Outdoor (${tenant.id}) is on Growth.`]);
  const again = await ops("plan", tenant.id, "growth");
  assert.match(again.stdout, /is already on Growth; nothing changed/);
  assert.equal(await db().auditLog.count({ where: { tenantId: tenant.id } }), 1);
});

test("refusals exit 1 with one line; usage errors exit 2", async () => {
  const tenant = await makeTenant("Acme Outdoor");
  const unknownPlan = await ops("plan", tenant.id, "platinum");
  assert.deepEqual(
    [unknownPlan.code, unknownPlan.stderr.trim()],
    [1, 'Unknown plan "platinum". Plans: trial, starter, growth, scale, enterprise.'],
  );
  const unknownWorkspace = await ops("plan", "Nobody Ltd", "growth");
  assert.deepEqual([unknownWorkspace.code, unknownWorkspace.stderr.trim()], [1, 'No workspace with the id or name "Nobody Ltd".']);
  assert.equal((await ops("plan")).code, 2);
  assert.equal((await ops("launch-rockets")).code, 2);
  assert.equal((await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).planTier, "trial");
});

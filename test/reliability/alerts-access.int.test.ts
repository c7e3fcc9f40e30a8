import "@/test/support/env";
import "@/test/support/alerts/closed-inngest";
import "./support/als";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { actionRequest, inRequestScope, sessionCookie } from "./support/next-request";
import { diff, snapshot } from "./support/snapshot";

/**
 * Who may do what on the Alerts page, through the server actions themselves: nobody without a session
 * (sent to sign-in, nothing changed); every member their own choices; only owners the workspace
 * webhook. Other tenants are refused in tenant-isolation.int.test.ts.
 */

type Result = { ok: boolean; data?: unknown; error?: { code: string; message: string } };
let tenantId: string;
let owner: string;
let viewer: string;
let viewerId: string;

before(async () => {
  await truncateAll();
  process.env.LEDGER_BASE_URL = "http://127.0.0.1:3000";
  const { seedStore, addMember } = await import("@/test/support/builders/stores");
  const seeded = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  tenantId = seeded.tenantId;
  owner = await sessionCookie(seeded.userId);
  viewerId = await addMember(tenantId, "viewer");
  viewer = await sessionCookie(viewerId);
});
after(() => db().$disconnect());

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f;
};

async function act(name: string, cookie: string | null, fields: Record<string, string | string[]>): Promise<Result> {
  const mod = (await import("@/app/dashboard/alerts/actions")) as unknown as Record<string, (p: unknown, f: FormData) => Promise<Result>>;
  return inRequestScope(actionRequest(cookie ?? "", cookie ? tenantId : undefined), () => mod[name](null, form(fields)));
}

test("without a session every alerts action goes to sign-in and changes nothing", async () => {
  const before = await snapshot();
  for (const name of [
    "savePreferencesAction",
    "setWebhookAction",
    "rotateWebhookSecretAction",
    "removeWebhookAction",
    "sendTestAlertAction",
  ]) {
    await assert.rejects(
      act(name, null, { tenantId, url: "http://127.0.0.1:9/hook", kinds: "run_failed" }),
      (e: { digest?: string }) => String(e.digest).startsWith("NEXT_REDIRECT") && String(e.digest).includes("/sign-in"),
      name,
    );
  }
  assert.deepEqual(diff(before, await snapshot()), []);
});

test("a viewer saves their own choices but may not touch the workspace webhook", async () => {
  const saved = await act("savePreferencesAction", viewer, { tenantId, kinds: ["run_failed", "sage_reconnect"] });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  const rows = await db().alertPreference.findMany({ where: { tenantId, userId: viewerId, email: true } });
  assert.deepEqual(rows.map((r) => r.kind).sort(), ["run_failed", "sage_reconnect"]);

  const before = await snapshot();
  const refused = await act("setWebhookAction", viewer, { tenantId, url: "http://127.0.0.1:9/hook" });
  assert.deepEqual([refused.ok, refused.error?.code], [false, "forbidden"]);
  assert.match(refused.error!.message, /Only owners set the workspace's alert webhook/);
  for (const name of ["rotateWebhookSecretAction", "removeWebhookAction"]) {
    assert.equal((await act(name, viewer, { tenantId })).error?.code, "forbidden", name);
  }
  assert.deepEqual(diff(before, await snapshot()), []);
});

test("an owner sets the webhook (secret shown once, stored sealed), rotates it, and a stale page for another workspace is refused", async () => {
  const set = await act("setWebhookAction", owner, { tenantId, url: "http://127.0.0.1:9/hook" });
  assert.equal(set.ok, true, JSON.stringify(set));
  const { secret } = set.data as { secret: string };
  assert.match(secret, /^whsec_/);
  const row = await db().alertWebhook.findUniqueOrThrow({ where: { tenantId } });
  assert.ok(!row.encryptedSecret.includes(secret));
  const rotated = await act("rotateWebhookSecretAction", owner, { tenantId });
  assert.notEqual((rotated.data as { secret: string }).secret, secret);

  const bad = await act("setWebhookAction", owner, { tenantId, url: "ftp://example.test/x" });
  assert.equal(bad.error?.code, "validation_failed");
  const stale = await act("removeWebhookAction", owner, { tenantId: "00000000-0000-4000-8000-000000000001" });
  assert.equal(stale.error?.code, "conflict");
  assert.ok(await db().alertWebhook.findUnique({ where: { tenantId } }));
});

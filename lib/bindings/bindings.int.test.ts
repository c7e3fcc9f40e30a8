import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { hashPassword } from "@/lib/auth/password";
import { appVault, secretContext } from "@/lib/crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { embedSignIn, embedViewer, issueEmbedSession, readEmbedSession } from "@/lib/members/embed-session";
import { truncateAll } from "@/test/support/db";
import { getBindingDetail } from "./detail";
import { disconnectBinding } from "./disconnect";
import { embedCsp, findEmbedConnection, recentRunsForConnection } from "./embed";
import { makeBinding, makeMember, makeRun, makeTenant } from "../../test/support/builders/workspace";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

const rejects = (code: AppError["code"]) => (e: unknown) => e instanceof AppError && e.code === code;

test("disconnect binding: owners only; the key and tokens go, history and cross-references stay", async () => {
  const t = await makeTenant();
  const owner = await makeMember(t.id, "owner");
  const admin = await makeMember(t.id, "admin");
  const { binding, magento, sage } = await makeBinding(t.id);
  await db().magentoConnection.update({
    where: { id: magento.id },
    data: { encryptedApiKey: appVault().encrypt("k".repeat(32), secretContext.magentoApiKey(magento.id)) },
  });
  await makeRun(binding, "succeeded");
  await db().entityXref.create({
    data: {
      magentoConnectionId: magento.id,
      sageBusinessId: sage!.businessId,
      bindingId: binding.id,
      entityType: "contact",
      magentoKey: "5",
      currency: "GBP",
      sageId: "C1",
    },
  });

  await assert.rejects(disconnectBinding({ tenantId: t.id, bindingId: binding.id, actorUserId: admin.user.id }), rejects("forbidden"));
  const rival = await makeTenant();
  const rivalOwner = await makeMember(rival.id, "owner");
  await assert.rejects(
    disconnectBinding({ tenantId: rival.id, bindingId: binding.id, actorUserId: rivalOwner.user.id }),
    rejects("not_found"),
  );

  const before = await getBindingDetail(t.id, binding.id);
  assert.deepEqual(before?.kept, { syncRuns: 1, crossReferences: 1 });

  const out = await disconnectBinding({ tenantId: t.id, bindingId: binding.id, actorUserId: owner.user.id });
  assert.equal(out.magentoRevoked, true);
  assert.equal(out.sageDisconnected, true);
  const b = await db().binding.findUniqueOrThrow({ where: { id: binding.id } });
  const m = await db().magentoConnection.findUniqueOrThrow({ where: { id: magento.id } });
  const s = await db().sageConnection.findUniqueOrThrow({ where: { id: sage!.id } });
  assert.deepEqual(
    [b.status, m.status, m.encryptedApiKey, s.status, s.encryptedRefreshToken],
    ["revoked", "revoked", null, "revoked", null],
  );
  assert.equal(await db().syncRun.count({ where: { bindingId: binding.id } }), 1);
  assert.equal(await db().entityXref.count({ where: { magentoConnectionId: magento.id } }), 1);
  const actions = (await db().auditLog.findMany({ where: { tenantId: t.id } })).map((a) => a.action).sort();
  assert.deepEqual(actions, ["binding.disconnected", "magento.disconnected", "sage.disconnected"]);
  assert.equal(await getBindingDetail(rival.id, binding.id), null, "another tenant sees nothing");
});

test("embed: CSP allows only the paired store's origin; unknown ids allow no framing", async () => {
  const t = await makeTenant();
  const { magento } = await makeBinding(t.id, { baseUrl: "https://shop.example.com/magento/" });
  const conn = await findEmbedConnection(magento.id);
  assert.equal(embedCsp(conn), "frame-ancestors https://shop.example.com");
  assert.equal(embedCsp(await findEmbedConnection("00000000-0000-4000-8000-000000000000")), "frame-ancestors 'none'");
  assert.equal(embedCsp(await findEmbedConnection("not-a-uuid")), "frame-ancestors 'none'");
});

test("embed session: members of the connection's tenant only, bound to one connection, tamper-proof", async () => {
  const t = await makeTenant();
  const viewer = await makeMember(t.id, "viewer", "viewer@embed.test");
  await db().user.update({ where: { id: viewer.user.id }, data: { passwordHash: await hashPassword("embed-password-1") } });
  const { binding, magento } = await makeBinding(t.id);
  await makeRun(binding, "failed");
  const other = await makeTenant();
  const outsider = await makeMember(other.id, "owner", "outsider@embed.test");
  await db().user.update({ where: { id: outsider.user.id }, data: { passwordHash: await hashPassword("embed-password-2") } });
  const { magento: otherMagento } = await makeBinding(other.id);
  const conn = { id: magento.id, tenantId: t.id };

  await assert.rejects(
    embedSignIn({ connection: conn, email: "viewer@embed.test", password: "wrong-password" }),
    rejects("unauthenticated"),
  );
  await assert.rejects(
    embedSignIn({ connection: conn, email: "outsider@embed.test", password: "embed-password-2" }),
    rejects("unauthenticated"),
  );
  const cookie = await embedSignIn({ connection: conn, email: "Viewer@Embed.test", password: "embed-password-1" });
  assert.equal((await embedViewer(cookie, conn))?.email, "viewer@embed.test");

  assert.equal(readEmbedSession(cookie, otherMagento.id), null, "not valid for another connection");
  const [payload, sig] = cookie.split(".");
  const forged = Buffer.from(JSON.stringify({ u: outsider.user.id, c: magento.id, exp: 9_999_999_999 })).toString("base64url");
  assert.equal(readEmbedSession(`${forged}.${sig}`, magento.id), null, "a changed payload fails the signature");
  assert.equal(readEmbedSession(`${payload}.${sig}`, magento.id, new Date(Date.now() + 13 * 3600_000)), null, "expires after 12 h");
  // a valid session of a user who is not (or no longer) a member shows nothing
  assert.equal(await embedViewer(await issueEmbedSession(outsider.user.id, magento.id), conn), null);
  await db().membership.delete({ where: { id: viewer.membership.id } });
  assert.equal(await embedViewer(cookie, conn), null);

  const runs = await recentRunsForConnection(conn);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, "failed");
  assert.deepEqual(await recentRunsForConnection({ id: magento.id, tenantId: other.id }), []);
});

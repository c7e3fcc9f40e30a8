import "@/test/support/env";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { db } from "@/lib/db";
import { AppError, SyncError } from "@/lib/errors";
import { getAccessToken, sageClientForBinding } from "./custody";
import { disconnectSage } from "./disconnect";
import { emuAdmin, emuReset, emuStats, sageAccepts, storedTokens, tryRefresh, withLedgerSage } from "../../test/support/sage/emulator";

const ctx = withLedgerSage({ connect: true });

/** Every row of every table in the app schema, as text: where a leaked token would show up. */
async function everyRowAsText(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string }>(
      `select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = current_schema()`,
    );
    const parts: string[] = [];
    for (const { t } of tables) {
      const { rows } = await client.query<{ r: string }>(`select x::text as r from ${t} x`);
      parts.push(...rows.map((r) => r.r));
    }
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

describe("disconnect Sage", () => {
  it("revokes at Sage, deletes the tokens, marks the connection revoked and frees the binding", async () => {
    const plain = await storedTokens(ctx.connectionId);
    const before = await everyRowAsText();
    assert.ok(!before.includes(plain.access) && !before.includes(plain.refresh), "tokens are never stored in plaintext");

    const result = await disconnectSage({ bindingId: ctx.fx.bindingId, actorUserId: ctx.fx.adminId });

    assert.deepEqual(result, { sageConnectionId: ctx.connectionId, revokedAtSage: true });
    assert.equal((await emuStats(ctx.emu)).revocations, 1);
    assert.equal(await sageAccepts(ctx.emu, plain.access), 401);
    assert.equal(await tryRefresh(ctx.emu, plain.refresh), "invalid_grant");

    const conn = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.deepEqual(
      [conn.status, conn.encryptedAccessToken, conn.encryptedRefreshToken, conn.accessTokenExpiresAt, conn.refreshTokenExpiresAt],
      ["revoked", null, null, null, null],
    );
    assert.ok(conn.revokedAt);
    const binding = await db().binding.findUniqueOrThrow({ where: { id: ctx.fx.bindingId } });
    assert.deepEqual([binding.status, binding.sageConnectionId], ["pending_sage", null]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { tenantId: ctx.fx.tenantId, action: "sage.disconnected" } });
    assert.equal(audit.actorUserId, ctx.fx.adminId);
    assert.deepEqual(audit.data, { sageConnectionId: ctx.connectionId, businessId: conn.businessId, revokedAtSage: true });

    const after = await everyRowAsText();
    assert.ok(!after.includes(plain.access) && !after.includes(plain.refresh));
  });

  it("nothing can use the connection afterwards, and no Sage call is made for it", async () => {
    await disconnectSage({ bindingId: ctx.fx.bindingId, actorUserId: ctx.fx.adminId });
    await emuReset(ctx.emu);
    const isAuth = (pattern: RegExp) => (e: unknown) => e instanceof SyncError && e.syncClass === "auth" && pattern.test(e.message);
    await assert.rejects(getAccessToken(ctx.connectionId, { forceRefresh: true }), isAuth(/disconnected/));
    await assert.rejects(sageClientForBinding(ctx.fx.bindingId), isAuth(/not connected/));
    assert.deepEqual((await emuStats(ctx.emu)).requests, {});
  });

  it("still disconnects locally when Sage cannot be reached, and refuses a binding without Sage", async () => {
    await emuAdmin(ctx.emu, "POST", "/faults", { method: "POST", path: "/revoke", kind: "error", status: 503 });
    const result = await disconnectSage({ bindingId: ctx.fx.bindingId, actorUserId: null });
    assert.equal(result.revokedAtSage, false);
    const conn = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.deepEqual([conn.status, conn.encryptedRefreshToken], ["revoked", null]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "sage.disconnected" } });
    assert.equal(audit.actorType, "system");

    await assert.rejects(
      disconnectSage({ bindingId: ctx.fx.bindingId, actorUserId: ctx.fx.adminId }),
      (e: unknown) => e instanceof AppError && e.code === "conflict",
    );
  });
});

import "@/test/support/env";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { db } from "@/lib/db";
import { SyncError } from "@/lib/errors";
import { getAccessToken, refreshExpiringTokens, sageClientForBinding } from "./custody";
import {
  connectBinding,
  emuAdmin,
  emuReset,
  emuStats,
  requestCount,
  sageAccepts,
  seedBinding,
  storedTokens,
  tryRefresh,
  withLedgerSage,
} from "../../test/support/sage/emulator";

const ctx = withLedgerSage({ connect: true });

/** Our record says the access token is dead (and, with `atSage`, Sage agrees). */
async function expireAccessToken({ atSage = true } = {}) {
  await db().sageConnection.update({ where: { id: ctx.connectionId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
  if (atSage) await emuAdmin(ctx.emu, "POST", "/expire-access-tokens");
}

const isAuthError = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof SyncError, `expected SyncError, got ${String(e)}`);
  assert.equal(e.syncClass, "auth");
  assert.match(e.message, pattern);
  return true;
};

describe("token custody", () => {
  it("stores the pair encrypted and hands out the access token without calling Sage while it is fresh", async () => {
    const row = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    const plain = await storedTokens(ctx.connectionId);
    assert.ok(row.encryptedAccessToken && row.encryptedRefreshToken);
    assert.notEqual(row.encryptedAccessToken, plain.access);
    assert.ok(!row.encryptedAccessToken.includes(plain.access) && !row.encryptedRefreshToken.includes(plain.refresh));
    assert.match(row.encryptedAccessToken, /^v1\./);

    const token = await getAccessToken(ctx.connectionId);
    assert.equal(token, plain.access);
    assert.equal(await sageAccepts(ctx.emu, token), 200);
    assert.equal((await emuStats(ctx.emu)).refreshes_served, 0);
  });

  it("rotates an expiring pair: new tokens persisted encrypted, version bumped, the old refresh token dead", async () => {
    const before = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    const old = await storedTokens(ctx.connectionId);
    await expireAccessToken();

    const token = await getAccessToken(ctx.connectionId);
    const after = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    const fresh = await storedTokens(ctx.connectionId);
    assert.equal(token, fresh.access);
    assert.notEqual(fresh.access, old.access);
    assert.notEqual(fresh.refresh, old.refresh);
    assert.equal(after.tokenVersion, before.tokenVersion + 1);
    assert.ok(after.accessTokenExpiresAt && after.accessTokenExpiresAt.getTime() > Date.now() + 30_000);
    assert.equal(after.refreshFailureCount, 0);
    assert.equal((await emuStats(ctx.emu)).refreshes_served, 1);
    assert.equal(await sageAccepts(ctx.emu, token), 200);
    assert.equal(await tryRefresh(ctx.emu, old.refresh), "invalid_grant");
  });

  it("50 concurrent callers on an expired token cause exactly one refresh and no invalid_grant", async () => {
    const before = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    await expireAccessToken();

    const tokens = await Promise.all(Array.from({ length: 50 }, () => getAccessToken(ctx.connectionId)));

    const stats = await emuStats(ctx.emu);
    assert.equal(stats.refreshes_served, 1);
    assert.equal(stats.invalid_grant, 0);
    assert.equal(requestCount(stats, "POST /token"), 1);
    assert.equal(new Set(tokens).size, 1);
    const after = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.equal(after.tokenVersion, before.tokenVersion + 1);
    assert.equal(tokens[0], (await storedTokens(ctx.connectionId)).access);
    assert.equal(await sageAccepts(ctx.emu, tokens[0]), 200);
  });

  it("a 401 from Sage forces one refresh, shared by concurrent requests of the binding's client", async () => {
    // Sage expired the token early; our record still thinks it is good.
    await expireAccessToken({ atSage: false });
    await emuAdmin(ctx.emu, "POST", "/expire-access-tokens");
    const client = await sageClientForBinding(ctx.fx.bindingId);

    const results = await Promise.all(Array.from({ length: 10 }, () => client.listCurrencies()));

    assert.ok(results.every((r) => r.some((c) => c.id === "GBP")));
    const stats = await emuStats(ctx.emu);
    assert.equal(stats.refreshes_served, 1);
    assert.equal(stats.invalid_grant, 0);
  });

  it("a revoked refresh token parks the connection as needs_reconnect and Sage is not called again", async () => {
    const { refresh } = await storedTokens(ctx.connectionId);
    const revoke = await fetch(`${ctx.emu.url}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: refresh,
        client_id: process.env.SAGE_CLIENT_ID!,
        client_secret: process.env.SAGE_CLIENT_SECRET!,
      }).toString(),
    });
    assert.equal(revoke.status, 200);
    await expireAccessToken({ atSage: false });
    await emuReset(ctx.emu);

    await assert.rejects(getAccessToken(ctx.connectionId), isAuthError(/^Sage needs reconnecting: .*invalid_grant/));
    const row = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.equal(row.status, "needs_reconnect");
    assert.equal(row.refreshFailureCount, 1);
    assert.match(row.lastRefreshError ?? "", /invalid_grant/);
    assert.ok(!(row.lastRefreshError ?? "").includes(refresh));
    const audits = await db().auditLog.findMany({ where: { tenantId: ctx.fx.tenantId, action: "sage.needs_reconnect" } });
    assert.equal(audits.length, 1);
    assert.equal(requestCount(await emuStats(ctx.emu), "POST /token"), 1);

    await assert.rejects(getAccessToken(ctx.connectionId), isAuthError(/^Sage needs reconnecting/));
    await assert.rejects(getAccessToken(ctx.connectionId, { forceRefresh: true }), isAuthError(/^Sage needs reconnecting/));
    await assert.rejects(sageClientForBinding(ctx.fx.bindingId), isAuthError(/^Sage needs reconnecting/));
    const stats = await emuStats(ctx.emu);
    assert.equal(requestCount(stats, "POST /token"), 1);
    assert.equal(stats.invalid_grant, 1);
  });

  it("transient refresh failures are counted, reset by a success, and park the connection after 3 in a row", async () => {
    await expireAccessToken();
    await emuAdmin(ctx.emu, "POST", "/faults", { method: "POST", path: "/token", kind: "error", status: 503, count: 1 });
    await assert.rejects(getAccessToken(ctx.connectionId), (e: unknown) => e instanceof SyncError && e.syncClass === "http");
    let row = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.equal(row.status, "active");
    assert.equal(row.refreshFailureCount, 1);
    assert.match(row.lastRefreshError ?? "", /^http:/);

    assert.equal(await sageAccepts(ctx.emu, await getAccessToken(ctx.connectionId)), 200);
    row = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.equal(row.refreshFailureCount, 0);
    assert.equal(row.lastRefreshError, null);

    await expireAccessToken();
    await emuReset(ctx.emu);
    await emuAdmin(ctx.emu, "POST", "/faults", { method: "POST", path: "/token", kind: "error", status: 503 });
    const classes: string[] = [];
    for (let i = 0; i < 3; i++) {
      await getAccessToken(ctx.connectionId).then(
        () => classes.push("ok"),
        (e: unknown) => classes.push(e instanceof SyncError ? `${e.syncClass}:${e.message.startsWith("Sage needs reconnecting")}` : "?"),
      );
    }
    assert.deepEqual(classes, ["http:false", "http:false", "auth:true"]);
    row = await db().sageConnection.findUniqueOrThrow({ where: { id: ctx.connectionId } });
    assert.equal(row.status, "needs_reconnect");
    assert.equal(row.refreshFailureCount, 3);
    await assert.rejects(getAccessToken(ctx.connectionId), isAuthError(/^Sage needs reconnecting/));
    assert.equal(requestCount(await emuStats(ctx.emu), "POST /token"), 3);
  });

  it("the cron sweep rotates connections about to expire and leaves fresh ones alone", async () => {
    const other = await seedBinding();
    const otherConn = await connectBinding(other);
    await emuReset(ctx.emu);
    // Ours expires in 10 s; the other was just issued (60 s).
    await db().sageConnection.update({ where: { id: ctx.connectionId }, data: { accessTokenExpiresAt: new Date(Date.now() + 10_000) } });
    const versions = async () =>
      Object.fromEntries(
        (await db().sageConnection.findMany({ select: { id: true, tokenVersion: true } })).map((r) => [r.id, r.tokenVersion]),
      );
    const before = await versions();

    const result = await refreshExpiringTokens({ withinSeconds: 30 });

    assert.deepEqual({ ...result, failed: result.failed.length }, { checked: 1, refreshed: 1, alreadyFresh: 0, failed: 0 });
    const after = await versions();
    assert.equal(after[ctx.connectionId], before[ctx.connectionId] + 1);
    assert.equal(after[otherConn], before[otherConn]);
    assert.equal((await emuStats(ctx.emu)).refreshes_served, 1);
    assert.deepEqual(await refreshExpiringTokens({ withinSeconds: 30 }), { checked: 0, refreshed: 0, alreadyFresh: 0, failed: [] });
  });

  it("a binding without an active Sage connection gets a clear auth error", async () => {
    const bare = await seedBinding();
    await assert.rejects(sageClientForBinding(bare.bindingId), isAuthError(/not connected for this binding/));
  });
});

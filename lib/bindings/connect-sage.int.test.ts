import "@/test/support/env";
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { db } from "@/lib/db";
import type { SageEmulator } from "@/sim/sage/emulator";
import { truncateAll } from "@/test/support/db";
import { cancelBusinessSelection, chooseSageBusiness, expireAbandonedSelections, getBusinessSelection } from "./sage-business";
import { completeSageConnect, startSageConnect } from "./connect-sage";
import { SageConnectError, type ConnectErrorCode } from "@/lib/sage/connect-errors";
import {
  consentAsBrowser,
  DEMO_BUSINESS_ID,
  emuReset,
  emuStats,
  pointLedgerAt,
  requestCount,
  sageAccepts,
  SECOND_BUSINESS_ID,
  seedBinding,
  startBusinessFilterProxy,
  startEmulator,
  storedTokens,
  tryRefresh,
  TEST_REDIRECT_URI,
  type Fixture,
} from "../../test/support/sage/emulator";

let emu: SageEmulator;
let fx: Fixture;
const proxies: { close(): Promise<void> }[] = [];

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await emu.stop();
  await db().$disconnect();
});
beforeEach(async () => {
  pointLedgerAt(emu.url);
  await emuReset(emu);
  await truncateAll();
  fx = await seedBinding();
});

/** Sage's API answers `GET /businesses` with only the businesses `pick` keeps (OAuth stays at the emulator). */
async function businessesLimitedTo(pick: (ids: string[]) => string[]) {
  const proxy = await startBusinessFilterProxy(emu, pick);
  proxies.push(proxy);
  pointLedgerAt(emu.url, proxy.origin);
}

const fails = (code: ConnectErrorCode, bindingId?: string) => (e: unknown) => {
  assert.ok(e instanceof SageConnectError, `expected SageConnectError, got ${String(e)}`);
  assert.equal(e.code, code);
  if (bindingId !== undefined) assert.equal(e.bindingId, bindingId);
  return true;
};

async function signIn(userId = fx.adminId, businessId = DEMO_BUSINESS_ID) {
  const { authorizeUrl } = await startSageConnect({ tenantId: fx.tenantId, userId, bindingId: fx.bindingId });
  return { authorizeUrl, cb: await consentAsBrowser(authorizeUrl, { businessId }) };
}

describe("Connect Sage", () => {
  it("OAuth round trip with one business locks the binding at once, tokens encrypted, reference data fetched", async () => {
    await businessesLimitedTo(() => [DEMO_BUSINESS_ID]);
    const { authorizeUrl, cb } = await signIn();

    const url = new URL(authorizeUrl);
    assert.equal(url.origin, emu.url);
    assert.equal(url.searchParams.get("response_type"), "code");
    assert.equal(url.searchParams.get("redirect_uri"), TEST_REDIRECT_URI);
    assert.equal(url.searchParams.get("scope"), "full_access");
    assert.equal(url.searchParams.get("filter"), "apiv3.1");
    assert.equal(cb.url.origin + cb.url.pathname, TEST_REDIRECT_URI);
    assert.equal(cb.state, url.searchParams.get("state"));
    assert.ok(cb.code);
    const stored = await db().oAuthState.findFirstOrThrow();
    assert.notEqual(stored.stateHash, cb.state);
    assert.equal(stored.bindingId, fx.bindingId);
    assert.equal(stored.userId, fx.adminId);

    const outcome = await completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId });

    assert.equal(outcome.kind, "connected");
    assert.ok(outcome.kind === "connected" && !outcome.reconnected);
    const binding = await db().binding.findUniqueOrThrow({ where: { id: fx.bindingId }, include: { sageConnection: true } });
    assert.equal(binding.status, "active");
    const conn = binding.sageConnection!;
    assert.deepEqual(
      {
        status: conn.status,
        businessId: conn.businessId,
        businessName: conn.businessName,
        baseCurrency: conn.baseCurrency,
        country: conn.country,
        region: conn.region,
      },
      { status: "active", businessId: DEMO_BUSINESS_ID, businessName: "Ledger Demo Ltd", baseCurrency: "GBP", country: "GB", region: "uk" },
    );
    assert.equal(conn.connectedById, fx.adminId);
    const plain = await storedTokens(conn.id);
    assert.ok(conn.encryptedAccessToken && !conn.encryptedAccessToken.includes(plain.access));
    assert.ok(conn.encryptedRefreshToken && !conn.encryptedRefreshToken.includes(plain.refresh));
    assert.equal(await sageAccepts(emu, plain.access), 200);
    assert.ok((await db().oAuthState.findFirstOrThrow()).usedAt);
    const audits = await db().auditLog.findMany({ where: { tenantId: fx.tenantId } });
    assert.deepEqual(
      audits.map((a) => a.action),
      ["sage.connected"],
    );
    const kinds = (await db().sageReferenceData.findMany({ where: { bindingId: fx.bindingId } })).map((r) => r.kind).sort();
    assert.deepEqual(kinds, ["bank_accounts", "currencies", "expense_ledger_accounts", "sales_ledger_accounts", "tax_rates"]);
  });

  it("the state is bound to its user, single use, and expires", async () => {
    const { cb } = await signIn();
    await assert.rejects(completeSageConnect({ state: cb.state, code: cb.code, userId: fx.otherAdminId }), fails("wrong_user"));
    // Refusing another user did not burn the state for its owner.
    const ok = await completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId });
    assert.equal(ok.kind, "select_business");
    await assert.rejects(completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId }), fails("state_used", fx.bindingId));

    const late = await signIn();
    await db().oAuthState.updateMany({ where: { usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await assert.rejects(
      completeSageConnect({ state: late.cb.state, code: late.cb.code, userId: fx.adminId }),
      fails("state_expired", fx.bindingId),
    );

    await assert.rejects(completeSageConnect({ state: "forged-state", code: "x", userId: fx.adminId }), fails("state_invalid"));
    await assert.rejects(completeSageConnect({ state: null, code: "x", userId: fx.adminId }), fails("state_missing"));
    // Only the first completion exchanged a code.
    assert.equal(requestCount(await emuStats(emu), "POST /token"), 1);
  });

  it("consent denied, a bad code, a viewer and a revoked binding get their own errors", async () => {
    const { authorizeUrl } = await startSageConnect({ tenantId: fx.tenantId, userId: fx.adminId, bindingId: fx.bindingId });
    const denied = await consentAsBrowser(authorizeUrl, { decision: "deny" });
    assert.equal(denied.error, "access_denied");
    await assert.rejects(
      completeSageConnect({ state: denied.state, code: denied.code, error: denied.error, userId: fx.adminId }),
      fails("access_denied", fx.bindingId),
    );

    const { cb } = await signIn();
    await assert.rejects(
      completeSageConnect({ state: cb.state, code: `${cb.code}x`, userId: fx.adminId }),
      fails("exchange_failed", fx.bindingId),
    );

    const viewer = await signIn(fx.viewerId);
    await assert.rejects(completeSageConnect({ state: viewer.cb.state, code: viewer.cb.code, userId: fx.viewerId }), fails("not_allowed"));

    await db().binding.update({ where: { id: fx.bindingId }, data: { status: "revoked" } });
    await assert.rejects(
      startSageConnect({ tenantId: fx.tenantId, userId: fx.adminId, bindingId: fx.bindingId }),
      fails("binding_unavailable"),
    );
    const other = await seedBinding();
    await assert.rejects(
      startSageConnect({ tenantId: other.tenantId, userId: other.adminId, bindingId: fx.bindingId }),
      fails("binding_unavailable"),
    );
    assert.equal(await db().sageConnection.count(), 0);
  });

  it("a Sage user without businesses is told so and the fresh tokens are revoked", async () => {
    await businessesLimitedTo(() => []);
    const { cb } = await signIn();
    await assert.rejects(completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId }), fails("no_businesses", fx.bindingId));
    const stats = await emuStats(emu);
    assert.equal(stats.revocations, 1);
    assert.equal(await db().sageConnection.count(), 0);
    assert.equal((await db().binding.findUniqueOrThrow({ where: { id: fx.bindingId } })).status, "pending_sage");
  });

  it("two businesses: tokens wait on a pending connection until the merchant picks one", async () => {
    const { cb } = await signIn();
    const outcome = await completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId });
    assert.equal(outcome.kind, "select_business");
    if (outcome.kind !== "select_business") return;

    const pending = await db().sageConnection.findUniqueOrThrow({ where: { id: outcome.selectionId } });
    assert.equal(pending.status, "pending_selection");
    assert.equal(pending.businessId, "");
    assert.equal(pending.pendingBindingId, fx.bindingId);
    assert.ok(pending.encryptedRefreshToken);
    assert.equal((await db().binding.findUniqueOrThrow({ where: { id: fx.bindingId } })).sageConnectionId, null);

    const who = { selectionId: outcome.selectionId, userId: fx.adminId, tenantId: fx.tenantId };
    const selection = await getBusinessSelection(who);
    assert.deepEqual(
      selection.businesses.map((b) => [b.id, b.name, b.country]),
      [
        [DEMO_BUSINESS_ID, "Ledger Demo Ltd", "GB"],
        [SECOND_BUSINESS_ID, "Second Shop Ltd", "GB"],
      ],
    );
    await assert.rejects(getBusinessSelection({ ...who, userId: fx.otherAdminId }), fails("wrong_user"));
    await assert.rejects(getBusinessSelection({ ...who, tenantId: (await seedBinding()).tenantId }), fails("selection_invalid"));
    await assert.rejects(chooseSageBusiness({ ...who, businessId: "not-offered" }), fails("selection_invalid", fx.bindingId));

    await emuReset(emu);
    const locked = await chooseSageBusiness({ ...who, businessId: SECOND_BUSINESS_ID });

    assert.equal(locked.sageConnectionId, outcome.selectionId);
    const binding = await db().binding.findUniqueOrThrow({ where: { id: fx.bindingId }, include: { sageConnection: true } });
    assert.equal(binding.status, "active");
    const conn = binding.sageConnection!;
    assert.deepEqual(
      [
        conn.status,
        conn.businessId,
        conn.businessName,
        conn.baseCurrency,
        conn.pendingBindingId,
        conn.businessChoices,
        conn.selectionExpiresAt,
      ],
      ["active", SECOND_BUSINESS_ID, "Second Shop Ltd", "GBP", null, null, null],
    );
    assert.equal(requestCount(await emuStats(emu), "GET /v3.1/financial_settings"), 1);
    await assert.rejects(getBusinessSelection(who), fails("selection_invalid"));
  });

  it("abandoned and cancelled selections are revoked at Sage and deleted", async () => {
    const first = await signIn();
    const a = await completeSageConnect({ state: first.cb.state, code: first.cb.code, userId: fx.adminId });
    const second = await signIn();
    const b = await completeSageConnect({ state: second.cb.state, code: second.cb.code, userId: fx.adminId });
    assert.ok(a.kind === "select_business" && b.kind === "select_business");
    const aTokens = await storedTokens(a.selectionId);
    await emuReset(emu);

    await db().sageConnection.update({ where: { id: a.selectionId }, data: { selectionExpiresAt: new Date(Date.now() - 1000) } });
    assert.equal(await expireAbandonedSelections(), 1);
    assert.equal(await db().sageConnection.count({ where: { id: a.selectionId } }), 0);
    assert.equal(await tryRefresh(emu, aTokens.refresh), "invalid_grant");

    const cancelled = await cancelBusinessSelection({ selectionId: b.selectionId, userId: fx.adminId, tenantId: fx.tenantId });
    assert.equal(cancelled.bindingId, fx.bindingId);
    assert.equal(await db().sageConnection.count(), 0);
    assert.equal((await emuStats(emu)).revocations, 2);
  });

  it("a locked binding: the same business just replaces the tokens, a different one is refused", async () => {
    await businessesLimitedTo(() => [DEMO_BUSINESS_ID]);
    const firstSignIn = await signIn();
    const first = await completeSageConnect({ state: firstSignIn.cb.state, code: firstSignIn.cb.code, userId: fx.adminId });
    assert.equal(first.kind, "connected");
    const connId = (await db().binding.findUniqueOrThrow({ where: { id: fx.bindingId } })).sageConnectionId!;
    const original = await storedTokens(connId);
    await db().sageConnection.update({
      where: { id: connId },
      data: { status: "needs_reconnect", refreshFailureCount: 3, lastRefreshError: "auth: x" },
    });

    // The Sage user signed in this time only reaches the other business.
    await businessesLimitedTo(() => [SECOND_BUSINESS_ID]);
    const wrong = await signIn(fx.adminId, SECOND_BUSINESS_ID);
    await assert.rejects(
      completeSageConnect({ state: wrong.cb.state, code: wrong.cb.code, userId: fx.adminId }),
      fails("business_locked", fx.bindingId),
    );
    let conn = await db().sageConnection.findUniqueOrThrow({ where: { id: connId } });
    assert.equal(conn.businessId, DEMO_BUSINESS_ID);
    assert.equal((await storedTokens(connId)).refresh, original.refresh);
    assert.equal(await db().sageConnection.count(), 1);

    // Both businesses reachable: the binding's own business is taken without asking.
    pointLedgerAt(emu.url);
    await emuReset(emu);
    const again = await signIn();
    const outcome = await completeSageConnect({ state: again.cb.state, code: again.cb.code, userId: fx.adminId });
    assert.deepEqual(outcome, { kind: "connected", bindingId: fx.bindingId, sageConnectionId: connId, reconnected: true });
    conn = await db().sageConnection.findUniqueOrThrow({ where: { id: connId } });
    assert.deepEqual([conn.status, conn.refreshFailureCount, conn.lastRefreshError], ["active", 0, null]);
    const replaced = await storedTokens(connId);
    assert.notEqual(replaced.refresh, original.refresh);
    assert.equal(await tryRefresh(emu, original.refresh), "invalid_grant");
    assert.equal((await emuStats(emu)).revocations, 1);
    const actions = (await db().auditLog.findMany({ where: { tenantId: fx.tenantId }, orderBy: { createdAt: "asc" } })).map(
      (a) => a.action,
    );
    assert.deepEqual(actions, ["sage.connected", "sage.reconnected"]);
  });
});

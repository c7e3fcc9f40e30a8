import "@/test/support/env";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { db } from "@/lib/db";
import { handleSageCallback } from "./sage-callback";
import { startSageConnect } from "./connect-sage";
import { consentAsBrowser, emuStats, requestCount, withLedgerSage } from "../../test/support/sage/emulator";

const BASE = "http://ledger.test";
const ctx = withLedgerSage({ connect: false });

/** The callback as Sage's redirect reaches it, for a browser signed in as `userId`. */
async function callback(query: Record<string, string | null>, userId: string | null = ctx.fx.adminId) {
  const url = new URL("/api/sage/callback", BASE);
  for (const [k, v] of Object.entries(query)) if (v !== null) url.searchParams.set(k, v);
  const res = await handleSageCallback(new Request(url), { currentUserId: async () => userId, baseUrl: BASE });
  const location = res.headers.get("location");
  assert.equal(res.status, 303);
  assert.ok(location);
  const to = new URL(location);
  assert.equal(to.origin, BASE);
  return to;
}

const connectUrl = async () =>
  (await startSageConnect({ tenantId: ctx.fx.tenantId, userId: ctx.fx.adminId, bindingId: ctx.fx.bindingId })).authorizeUrl;

describe("GET /api/sage/callback", () => {
  it("rejects a missing or unknown state without calling Sage", async () => {
    const missing = await callback({ code: "abc" });
    assert.equal(missing.pathname, "/dashboard/connect-sage");
    assert.equal(missing.searchParams.get("error"), "state_missing");

    const unknown = await callback({ code: "abc", state: "not-a-state-we-issued" });
    assert.equal(unknown.pathname, "/dashboard/connect-sage");
    assert.equal(unknown.searchParams.get("error"), "state_invalid");
    assert.equal(unknown.searchParams.get("binding"), null);
    assert.ok(!unknown.search.includes("abc"), "the code is never echoed");
    assert.equal(requestCount(await emuStats(ctx.emu), "POST /token"), 0);
  });

  it("the route module answers a missing state the same way", async () => {
    const { GET } = await import("@/app/api/sage/callback/route");
    const res = await GET(new Request("http://127.0.0.1:3000/api/sage/callback?code=abc"), undefined);
    assert.equal(res.status, 303);
    const to = new URL(res.headers.get("location") ?? "");
    assert.equal(to.pathname, "/dashboard/connect-sage");
    assert.equal(to.searchParams.get("error"), "state_missing");
  });

  it("sends a signed-out browser to sign in and back, without consuming the state", async () => {
    const cb = await consentAsBrowser(await connectUrl());
    const to = await callback({ code: cb.code, state: cb.state }, null);
    assert.equal(to.pathname, "/sign-in");
    const back = new URL(to.searchParams.get("callbackUrl") ?? "", BASE);
    assert.equal(back.pathname, "/api/sage/callback");
    assert.equal(back.searchParams.get("state"), cb.state);
    assert.equal((await db().oAuthState.findFirstOrThrow()).usedAt, null);
  });

  it("goes to the business picker after a successful sign-in with two businesses", async () => {
    const cb = await consentAsBrowser(await connectUrl());
    const to = await callback({ code: cb.code, state: cb.state, country: "GB" });
    assert.equal(to.pathname, "/dashboard/connect-sage");
    const selection = to.searchParams.get("selection");
    const pending = await db().sageConnection.findUniqueOrThrow({ where: { id: selection ?? "" } });
    assert.equal(pending.status, "pending_selection");
    assert.equal(pending.pendingBindingId, ctx.fx.bindingId);
  });

  it("returns to the binding's connect card with the error code when consent is denied or the state is reused", async () => {
    const denied = await consentAsBrowser(await connectUrl(), { decision: "deny" });
    const to = await callback({ error: denied.error, state: denied.state });
    assert.deepEqual(Object.fromEntries(to.searchParams), { binding: ctx.fx.bindingId, error: "access_denied" });

    const cb = await consentAsBrowser(await connectUrl());
    await callback({ code: cb.code, state: cb.state });
    const reused = await callback({ code: cb.code, state: cb.state });
    assert.deepEqual(Object.fromEntries(reused.searchParams), { binding: ctx.fx.bindingId, error: "state_used" });

    const other = await callback({ code: cb.code, state: cb.state }, ctx.fx.otherAdminId);
    assert.deepEqual(Object.fromEntries(other.searchParams), { error: "wrong_user" });
  });
});

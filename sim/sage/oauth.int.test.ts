import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SageEmulator } from "./emulator.ts";
import { DEMO_BUSINESS_ID, SECOND_BUSINESS_ID } from "./seed.ts";
import { admin, call, resetAll, sage, startTestEmulator } from "./testkit.ts";

const REDIRECT = "http://localhost:3000/api/sage/callback";
const CLIENT = { id: "ledger-local", secret: "ledger-local-secret" };

let emu: SageEmulator;
before(async () => {
  emu = await startTestEmulator();
  await resetAll(emu);
});
after(() => emu.stop());

const authorizeUrl = (extra: Record<string, string> = {}) =>
  `${emu.url}/oauth2/auth/central?${new URLSearchParams({
    filter: "apiv3.1",
    client_id: CLIENT.id,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "full_access",
    state: "st-123",
    ...extra,
  })}`;

async function consent(form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  return call(`${emu.url}/oauth2/auth/central/consent`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

const baseForm = { client_id: CLIENT.id, redirect_uri: REDIRECT, scope: "full_access", state: "st-123" };

async function getCode(business = DEMO_BUSINESS_ID, scope = "full_access"): Promise<string> {
  const r = await consent({ ...baseForm, scope, business_id: business, decision: "allow" });
  assert.equal(r.status, 302);
  return new URL(r.headers.get("location")!).searchParams.get("code")!;
}

async function tokenCall(form: Record<string, string>, basic = false) {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`;
  else {
    body.set("client_id", CLIENT.id);
    body.set("client_secret", CLIENT.secret);
  }
  return call<Record<string, unknown>>(`${emu.url}/token`, { method: "POST", headers, body });
}

describe("OAuth round trip", () => {
  test("authorize page lists the businesses; consent → code → tokens → API call", async () => {
    const page = await call<string>(authorizeUrl());
    assert.equal(page.status, 200);
    assert.match(page.body, /Ledger Demo Ltd/);
    assert.match(page.body, /Second Shop Ltd/);
    assert.match(page.body, new RegExp(`value="${DEMO_BUSINESS_ID}"`));

    const r = await consent({ ...baseForm, business_id: SECOND_BUSINESS_ID, decision: "allow" });
    assert.equal(r.status, 302);
    const loc = new URL(r.headers.get("location")!);
    assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
    assert.equal(loc.searchParams.get("state"), "st-123");
    const code = loc.searchParams.get("code")!;
    assert.ok(code.length > 20);

    const t = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    assert.equal(t.status, 200);
    assert.equal(t.body.token_type, "bearer");
    assert.equal(t.body.expires_in, 300);
    assert.equal(t.body.refresh_token_expires_in, 2678400);
    assert.equal(t.body.scope, "full_access");
    assert.equal(t.headers.get("cache-control"), "no-store");

    const api = sage(emu, String(t.body.access_token), SECOND_BUSINESS_ID);
    const rates = await api.get("/tax_rates");
    assert.equal(rates.status, 200);
    const lead = await api.get("/businesses/lead");
    assert.equal((lead.body as { id: string }).id, SECOND_BUSINESS_ID);
    const all = await api.get("/businesses");
    assert.equal((all.body as { $total: number }).$total, 2);
  });

  test("client credentials via HTTP Basic work too", async () => {
    const code = await getCode();
    const t = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, true);
    assert.equal(t.status, 200);
  });

  test("deny redirects with error=access_denied and the state", async () => {
    const r = await consent({ ...baseForm, business_id: DEMO_BUSINESS_ID, decision: "deny" });
    const loc = new URL(r.headers.get("location")!);
    assert.equal(loc.searchParams.get("error"), "access_denied");
    assert.equal(loc.searchParams.get("state"), "st-123");
    assert.equal(loc.searchParams.get("code"), null);
  });

  test("consent must pick exactly one business", async () => {
    const none = await consent({ ...baseForm, decision: "allow" });
    assert.equal(none.status, 400);
    const two = await consent({ ...baseForm, business_id: [DEMO_BUSINESS_ID, SECOND_BUSINESS_ID], decision: "allow" });
    assert.equal(two.status, 400);
  });

  test("unknown client or unregistered redirect gets an error page, not a redirect", async () => {
    assert.equal((await call(authorizeUrl({ client_id: "nope" }))).status, 400);
    const evil = await call(authorizeUrl({ redirect_uri: "https://evil.example.com/cb" }));
    assert.equal(evil.status, 400);
    assert.equal(evil.headers.get("location"), null);
    assert.equal((await call(authorizeUrl({ filter: "" }))).status, 400);
  });

  test("bad response_type redirects with unsupported_response_type", async () => {
    const r = await call(authorizeUrl({ response_type: "token" }));
    assert.equal(r.status, 302);
    assert.equal(new URL(r.headers.get("location")!).searchParams.get("error"), "unsupported_response_type");
  });
});

describe("codes and refresh tokens", () => {
  test("a code is single-use", async () => {
    const code = await getCode();
    assert.equal((await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT })).status, 200);
    const again = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, { error: "invalid_grant" });
  });

  test("redirect_uri mismatch and wrong client secret are refused", async () => {
    const code = await getCode();
    const r = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: "http://localhost:3000/other" });
    assert.deepEqual(r.body, { error: "invalid_grant" });
    const bad = await call(`${emu.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "x", client_id: CLIENT.id, client_secret: "wrong" }),
    });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { error: "invalid_client" });
  });

  test("refresh rotates; the old refresh token is invalid_grant; stats count both", async () => {
    await admin(emu, "POST", "/reset", {});
    const code = await getCode();
    const first = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    const rt1 = String(first.body.refresh_token);
    const second = await tokenCall({ grant_type: "refresh_token", refresh_token: rt1 });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, rt1);
    assert.notEqual(second.body.access_token, first.body.access_token);
    const reuse = await tokenCall({ grant_type: "refresh_token", refresh_token: rt1 });
    assert.equal(reuse.status, 400);
    assert.deepEqual(reuse.body, { error: "invalid_grant" });
    const third = await tokenCall({ grant_type: "refresh_token", refresh_token: String(second.body.refresh_token) });
    assert.equal(third.status, 200);
    const stats = (await admin(emu, "GET", "/stats")).body as Record<string, number>;
    assert.equal(stats.refreshes_served, 2);
    assert.equal(stats.invalid_grant, 1);
  });

  test("revoking a refresh token ends the connection's access tokens too", async () => {
    const code = await getCode();
    const t = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    const api = sage(emu, String(t.body.access_token));
    assert.equal((await api.get("/currencies")).status, 200);
    const rv = await call(`${emu.url}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: String(t.body.refresh_token), client_id: CLIENT.id, client_secret: CLIENT.secret }),
    });
    assert.equal(rv.status, 200);
    assert.equal((await api.get("/currencies")).status, 401);
    const r = await tokenCall({ grant_type: "refresh_token", refresh_token: String(t.body.refresh_token) });
    assert.deepEqual(r.body, { error: "invalid_grant" });
  });

  test("a wrong grant_type is invalid_grant", async () => {
    const r = await tokenCall({ grant_type: "client_credentials" });
    assert.deepEqual(r.body, { error: "invalid_grant" });
  });
});

describe("expiry", () => {
  test("expired codes and access tokens are refused (zero TTLs)", async () => {
    const short = await startTestEmulator({ codeTtlSeconds: 0, accessTtlSeconds: 0 });
    try {
      const r = await call(`${short.url}/oauth2/auth/central/consent`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...baseForm, business_id: DEMO_BUSINESS_ID, decision: "allow" }),
      });
      const code = new URL(r.headers.get("location")!).searchParams.get("code")!;
      const t = await call(`${short.url}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
        }),
      });
      assert.deepEqual(t.body, { error: "invalid_grant" });
      const pair = (await admin(short, "POST", "/tokens", {})).body as { access_token: string; expires_in: number };
      assert.equal(pair.expires_in, 0);
      const res = await sage(short, pair.access_token).get("/currencies");
      assert.equal(res.status, 401);
      assert.equal((res.body as { $dataCode: string }[])[0].$dataCode, "AuthorizationFailure");
    } finally {
      await short.stop();
    }
  });

  test("admin can expire live access tokens mid-run", async () => {
    const pair = (await admin(emu, "POST", "/tokens", {})).body as { access_token: string };
    const api = sage(emu, pair.access_token);
    assert.equal((await api.get("/currencies")).status, 200);
    await admin(emu, "POST", "/expire-access-tokens");
    assert.equal((await api.get("/currencies")).status, 401);
  });
});

describe("API access rules", () => {
  test("missing or malformed bearer token → 401 Sage error array", async () => {
    const r = await call(`${emu.url}/v3.1/contacts`, { headers: { "x-business": DEMO_BUSINESS_ID } });
    assert.equal(r.status, 401);
    assert.deepEqual(Object.keys((r.body as object[])[0]).sort(), ["$dataCode", "$message", "$severity", "$source"]);
  });

  test("missing or unknown X-Business → 401; lead default only when enabled", async () => {
    const pair = (await admin(emu, "POST", "/tokens", {})).body as { access_token: string };
    const bare = await call(`${emu.url}/v3.1/contacts`, { headers: { authorization: `Bearer ${pair.access_token}` } });
    assert.equal(bare.status, 401);
    const unknown = await sage(emu, pair.access_token, "ffffffffffffffffffffffffffffffff").get("/contacts");
    assert.equal(unknown.status, 401);
    await admin(emu, "PUT", "/config", { lead_business_default: true });
    const lead = await call(`${emu.url}/v3.1/contacts`, { headers: { authorization: `Bearer ${pair.access_token}` } });
    assert.equal(lead.status, 200);
    await admin(emu, "PUT", "/config", { lead_business_default: false });
  });

  test("a readonly token cannot write (403 MultiUserAccessDenied)", async () => {
    const code = await getCode(DEMO_BUSINESS_ID, "readonly");
    const t = await tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    assert.equal(t.body.scope, "readonly");
    const api = sage(emu, String(t.body.access_token));
    const r = await api.post("/contacts", { contact: { name: "X", contact_type_ids: ["CUSTOMER"] } });
    assert.equal(r.status, 403);
    assert.equal((r.body as { $dataCode: string }[])[0].$dataCode, "MultiUserAccessDenied");
    assert.equal((await api.get("/contacts")).status, 200);
  });
});

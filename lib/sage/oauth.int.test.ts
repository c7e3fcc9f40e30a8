import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SyncError } from "@/lib/errors";
import { sageEndpointsForOrigin } from "./config";
import { isInvalidGrant, SageInvalidGrantError } from "./errors";
import { createSageOAuth, type SageOAuth } from "./oauth";
import { sendJson, startTestServer, type TestServer } from "../../test/support/sage/scripted-server";

const NOW = new Date("2026-05-01T12:00:00Z");
let server: TestServer;
let oauth: SageOAuth;

const tokenBody = {
  access_token: "at-1",
  scope: "full_access",
  token_type: "bearer",
  expires_in: 300,
  refresh_token: "rt-2",
  refresh_token_expires_in: 2678400,
  requested_by_id: "7a0a3f3e-0000-4000-8000-000000000001",
};

before(async () => {
  server = await startTestServer();
  const endpoints = sageEndpointsForOrigin(server.origin, {
    clientId: "cid",
    clientSecret: "csecret",
    redirectUri: "http://127.0.0.1:3000/cb",
  });
  oauth = createSageOAuth({ endpoints, now: () => NOW, timeoutMs: 5_000 });
});
after(async () => {
  await server.close();
});

async function rejectsWith(p: Promise<unknown>, check: (e: SyncError) => void) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SyncError, `expected SyncError, got ${String(e)}`);
    check(e);
    return true;
  });
}

describe("Sage OAuth against a real HTTP server", () => {
  it("exchanges a code with a form post and computes both expiries", async () => {
    server.handle((_req, res) => sendJson(res, 200, tokenBody));
    const t = await oauth.exchangeCode("code-abc");

    assert.equal(t.accessToken, "at-1");
    assert.equal(t.refreshToken, "rt-2");
    assert.equal(t.scope, "full_access");
    assert.equal(t.expiresAt.toISOString(), "2026-05-01T12:05:00.000Z");
    assert.equal(t.refreshTokenExpiresAt.toISOString(), "2026-06-01T12:00:00.000Z");
    assert.equal(t.requestedById, tokenBody.requested_by_id);

    const req = server.requests[0];
    assert.equal(req.method, "POST");
    assert.equal(req.url.pathname, "/token");
    assert.equal(req.headers["content-type"], "application/x-www-form-urlencoded");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), {
      grant_type: "authorization_code",
      code: "code-abc",
      redirect_uri: "http://127.0.0.1:3000/cb",
      client_id: "cid",
      client_secret: "csecret",
    });
  });

  it("refreshes with grant_type=refresh_token and accepts numeric strings", async () => {
    server.handle((_req, res) => sendJson(res, 200, { ...tokenBody, expires_in: "300", refresh_token_expires_in: undefined }));
    const t = await oauth.refreshTokens("rt-1");
    const form = Object.fromEntries(new URLSearchParams(server.requests[0].body));
    assert.equal(form.grant_type, "refresh_token");
    assert.equal(form.refresh_token, "rt-1");
    assert.equal(t.expiresAt.toISOString(), "2026-05-01T12:05:00.000Z");
    // D8 fallback when Sage omits the refresh lifetime: 31 days
    assert.equal(t.refreshTokenExpiresAt.toISOString(), "2026-06-01T12:00:00.000Z");
  });

  it("invalid_grant is a distinct, final auth error", async () => {
    server.handle((_req, res) => sendJson(res, 400, { error: "invalid_grant" }));
    await rejectsWith(oauth.refreshTokens("rt-used"), (e) => {
      assert.ok(e instanceof SageInvalidGrantError);
      assert.ok(isInvalidGrant(e));
      assert.equal(e.syncClass, "auth");
      assert.equal(e.retryable, false);
      assert.equal(e.message.includes("rt-used"), false);
    });
  });

  it("a 503 from the token endpoint is transient http, not invalid_grant", async () => {
    server.handle((_req, res) =>
      sendJson(res, 503, [{ $dataCode: "ServiceUnavailable", $message: "Retry later" }], { "Retry-After": "12" }),
    );
    await rejectsWith(oauth.refreshTokens("rt-1"), (e) => {
      assert.equal(isInvalidGrant(e), false);
      assert.equal(e.syncClass, "http");
      assert.equal(e.retryAfterSeconds, 12);
      assert.equal(e.retryable, true);
    });
  });

  it("invalid_client is auth but not invalid_grant", async () => {
    server.handle((_req, res) => sendJson(res, 401, { error: "invalid_client", error_description: "Client authentication failed" }));
    await rejectsWith(oauth.exchangeCode("c"), (e) => {
      assert.equal(isInvalidGrant(e), false);
      assert.equal(e.syncClass, "auth");
      assert.equal(e.providerCode, "invalid_client");
      assert.match(e.message, /invalid_client \(Client authentication failed\)/);
    });
  });

  it("a 200 without tokens is serde and does not echo the body", async () => {
    server.handle((_req, res) => sendJson(res, 200, { access_token: "leaky-token", expires_in: 300 }));
    await rejectsWith(oauth.exchangeCode("c"), (e) => {
      assert.equal(e.syncClass, "serde");
      assert.match(e.message, /refresh_token/);
      assert.equal(e.message.includes("leaky-token"), false);
    });
  });

  it("revokes with the token and client credentials", async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    await oauth.revokeToken("rt-9");
    assert.equal(server.requests[0].url.pathname, "/revoke");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(server.requests[0].body)), {
      token: "rt-9",
      client_id: "cid",
      client_secret: "csecret",
    });
  });

  it("revoking a token Sage no longer accepts is not an error; a 500 is", async () => {
    server.handle((_req, res) => sendJson(res, 400, { error: "invalid_grant" }));
    await oauth.revokeToken("rt-dead");
    server.handle((_req, res) => sendJson(res, 500, []));
    await rejectsWith(oauth.revokeToken("rt-9"), (e) => assert.equal(e.syncClass, "http"));
  });
});

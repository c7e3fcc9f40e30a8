import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sageEndpointsForOrigin, sageEndpointsFromEnv } from "./config";
import { createSageOAuth } from "./oauth";

describe("buildAuthorizeUrl", () => {
  const endpoints = sageEndpointsFromEnv({
    SAGE_CLIENT_ID: "cid",
    SAGE_CLIENT_SECRET: "s",
    SAGE_REDIRECT_URI: "https://ledger.example/api/sage/callback",
  });

  it("keeps filter=apiv3.1 and asks for a full_access code", () => {
    const url = new URL(createSageOAuth({ endpoints }).buildAuthorizeUrl({ state: "st-123" }));
    assert.equal(url.origin + url.pathname, "https://www.sageone.com/oauth2/auth/central");
    assert.equal(url.searchParams.get("filter"), "apiv3.1");
    assert.equal(url.searchParams.get("response_type"), "code");
    assert.equal(url.searchParams.get("scope"), "full_access");
    assert.equal(url.searchParams.get("client_id"), "cid");
    assert.equal(url.searchParams.get("redirect_uri"), "https://ledger.example/api/sage/callback");
    assert.equal(url.searchParams.get("state"), "st-123");
    assert.equal(url.searchParams.has("client_secret"), false);
  });

  it("passes country and locale through and works against the emulator origin", () => {
    const emu = sageEndpointsForOrigin("http://127.0.0.1:4010", {
      clientId: "cid",
      clientSecret: "s",
      redirectUri: "http://127.0.0.1:3000/cb",
    });
    const url = new URL(
      createSageOAuth({ endpoints: emu }).buildAuthorizeUrl({ state: "x", country: "GB", locale: "en-GB", scope: "readonly" }),
    );
    assert.equal(url.origin + url.pathname, "http://127.0.0.1:4010/oauth2/auth/central");
    assert.equal(url.searchParams.get("filter"), "apiv3.1");
    assert.equal(url.searchParams.get("country"), "gb");
    assert.equal(url.searchParams.get("locale"), "en-GB");
    assert.equal(url.searchParams.get("scope"), "readonly");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SAGE_DEFAULTS, sageEndpointsForOrigin, sageEndpointsFromEnv } from "./config";

const creds = {
  SAGE_CLIENT_ID: "cid",
  SAGE_CLIENT_SECRET: "super-secret-value",
  SAGE_REDIRECT_URI: "https://ledger.example/api/sage/callback",
};

describe("sageEndpointsFromEnv (D8)", () => {
  it("defaults to real Sage hosts", () => {
    const e = sageEndpointsFromEnv(creds);
    assert.equal(e.authorizeUrl, "https://www.sageone.com/oauth2/auth/central?filter=apiv3.1");
    assert.equal(e.tokenUrl, "https://oauth.accounting.sage.com/token");
    assert.equal(e.revokeUrl, "https://oauth.accounting.sage.com/revoke");
    assert.equal(e.apiBaseUrl, "https://api.accounting.sage.com/v3.1");
    assert.equal(e.clientSecret, "super-secret-value");
  });
  it("points at the emulator when overridden; blank counts as unset", () => {
    const e = sageEndpointsFromEnv({
      ...creds,
      SAGE_API_BASE_URL: "http://127.0.0.1:4010/v3.1/",
      SAGE_OAUTH_TOKEN_URL: "http://127.0.0.1:4010/token",
      SAGE_OAUTH_REVOKE_URL: "",
    });
    assert.equal(e.apiBaseUrl, "http://127.0.0.1:4010/v3.1");
    assert.equal(e.tokenUrl, "http://127.0.0.1:4010/token");
    assert.equal(e.revokeUrl, SAGE_DEFAULTS.revokeUrl);
  });
  it("names the bad variables without echoing any value", () => {
    assert.throws(
      () => sageEndpointsFromEnv({ SAGE_CLIENT_SECRET: "super-secret-value", SAGE_API_BASE_URL: "not a url" }),
      (e: Error) => {
        assert.equal(e.message, "Invalid Sage configuration: check SAGE_API_BASE_URL, SAGE_CLIENT_ID, SAGE_REDIRECT_URI");
        assert.equal(e.message.includes("super-secret-value"), false);
        return true;
      },
    );
  });
  it("sageEndpointsForOrigin lays out the emulator under one origin", () => {
    const e = sageEndpointsForOrigin("http://127.0.0.1:4010/", { clientId: "a", clientSecret: "b", redirectUri: "http://x/cb" });
    assert.deepEqual(
      [e.authorizeUrl, e.tokenUrl, e.revokeUrl, e.apiBaseUrl],
      [
        "http://127.0.0.1:4010/oauth2/auth/central?filter=apiv3.1",
        "http://127.0.0.1:4010/token",
        "http://127.0.0.1:4010/revoke",
        "http://127.0.0.1:4010/v3.1",
      ],
    );
  });
});

import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createGuardedFetch } from "@/lib/net/guarded-fetch";
import { startSelfSignedServer } from "@/test/support/net/self-signed";
import { pair } from "./pairing";
import { FakeMagento } from "../../test/support/magento/fake-magento";

/**
 * Pairing (wire-protocol §7.2) against a real HTTP server on 127.0.0.1 that answers like the Byte8
 * module (test/support/magento/fake-magento.ts): what each way a store can fail to pair tells the
 * merchant. The signed REST calls made after pairing: client.int.test.ts.
 */

const TENANT = "a8d4e2e0-1c4e-11ef-9262-0242ac120002";
const API_KEY = "byte8_lk_raw_secret";
const CODE = "deadbeefcafef00d0123456789abcdef";
const devFetch = createGuardedFetch({ allowPrivate: true, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });

let magento: FakeMagento;
before(async () => {
  magento = await new FakeMagento(API_KEY, TENANT).start();
});
after(async () => {
  await magento.close();
});

describe("pair (§7.2)", () => {
  const ledgerBaseUrl = "https://ledger.example/";
  const request = (over: Partial<Parameters<typeof pair>[0]> = {}) =>
    pair({
      magentoBaseUrl: magento.baseUrl,
      pairingCode: CODE,
      connectionId: TENANT,
      apiKey: API_KEY,
      ledgerBaseUrl,
      fetchImpl: devFetch,
      ...over,
    });

  it("pairs anonymously with a normalised code; the code is then spent", async () => {
    magento.issuePairingCode(CODE);
    const r = await request({ pairingCode: `  ${CODE.toUpperCase()} `, magentoBaseUrl: `${magento.baseUrl}/` });
    assert.deepEqual(r, { ok: true, status: 200, magentoBaseUrl: magento.baseUrl });
    const req = magento.requests.at(-1)!;
    assert.equal(req.path, "/rest/V1/byte8/setup/pair");
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(req.body), {
      pairing_code: CODE,
      tenant_id: TENANT,
      byte8_api_key: API_KEY,
      ledger_base_url: "https://ledger.example",
    });
    assert.deepEqual(magento.paired, { tenantId: TENANT, apiKey: API_KEY, ledgerBaseUrl: "https://ledger.example" });

    const replay = await request();
    assert.ok(!replay.ok);
    assert.equal(replay.reason, "code_rejected");
    assert.equal(replay.status, 401);
    assert.equal(replay.detail, "Invalid or expired pairing code.");
    assert.match(replay.message, /generate a new one in Magento: Stores → Configuration → Byte8/);
  });

  it("an expired code is rejected like a wrong one", async () => {
    magento.issuePairingCode(CODE, 1801);
    const r = await request();
    assert.ok(!r.ok && r.reason === "code_rejected");
  });

  it("invalid input never reaches Magento", async () => {
    const before = magento.requests.length;
    const r = await request({ pairingCode: "J3K7-XQ9F-RP2M", magentoBaseUrl: "shop" });
    assert.ok(!r.ok && r.reason === "invalid_input");
    assert.deepEqual(Object.keys(r.fields ?? {}).sort(), ["magentoBaseUrl", "pairingCode"]);
    assert.equal(magento.requests.length, before);
  });

  it("Magento's 400 (blank field) is a request_rejected with its message as detail", async () => {
    magento.issuePairingCode(CODE);
    const r = await request({ connectionId: "   " });
    assert.ok(!r.ok);
    assert.equal(r.reason, "request_rejected");
    assert.equal(r.detail, "pairing_code, tenant_id, byte8_api_key and ledger_base_url are all required.");
  });

  it("the docs' 422 reuse case says the code was already used", async () => {
    magento.script("/rest/V1/byte8/setup/pair", { status: 422, body: '{"message":"Pairing code already used."}' });
    const r = await request();
    assert.ok(!r.ok);
    assert.equal(r.reason, "code_already_used");
    assert.equal(
      r.message,
      "The pairing code has expired or was already used — generate a new one in Magento: Stores → Configuration → Byte8.",
    );
  });

  it("a wrong URL (no module there) is not_found", async () => {
    const r = await request({ magentoBaseUrl: `${magento.baseUrl}/wrong` });
    assert.ok(!r.ok && r.reason === "not_found" && r.status === 404);
    assert.match(r.message, /Byte8 Sage Accounting module is installed/);
  });

  it("a Magento 5xx is magento_error", async () => {
    magento.script("/rest/V1/byte8/setup/pair", {
      status: 500,
      body: '{"message":"Internal Error. Details are available in Magento log file. Report ID: webapi-1"}',
    });
    const r = await request();
    assert.ok(!r.ok && r.reason === "magento_error" && r.status === 500);
  });

  it("a 2xx that is not JSON (some other site) is unexpected_response", async () => {
    magento.script("/rest/V1/byte8/setup/pair", { status: 200, body: "<html>Welcome</html>" });
    const r = await request();
    assert.ok(!r.ok && r.reason === "unexpected_response");
  });

  it("a slow Magento is a timeout", async () => {
    magento.script("/rest/V1/byte8/setup/pair", { status: 200, body: "[]", delayMs: 2_000 });
    const r = await request({ fetchImpl: createGuardedFetch({ allowPrivate: true, totalTimeoutMs: 300 }) });
    assert.ok(!r.ok && r.reason === "timeout");
  });

  it("a closed port is unreachable", async () => {
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, "127.0.0.1", res));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((res) => probe.close(res));
    const r = await request({ magentoBaseUrl: `http://127.0.0.1:${port}` });
    assert.ok(!r.ok && r.reason === "unreachable");
  });

  it("a private address is refused by the production default", async () => {
    const r = await request({ fetchImpl: undefined });
    assert.ok(!r.ok && r.reason === "blocked_address");
  });

  describe("redirects", () => {
    let redirector: http.Server;
    let redirectBase = "";
    before(async () => {
      redirector = http.createServer((req, res) => {
        const target = req.url?.startsWith("/shop/") ? "/" : `https://shop.example.com${req.url}`;
        res.writeHead(301, { Location: target });
        res.end();
      });
      await new Promise<void>((res) => redirector.listen(0, "127.0.0.1", res));
      redirectBase = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise((res) => redirector.close(res));
    });

    it("http → https to the same route suggests the new base URL", async () => {
      const r = await request({ magentoBaseUrl: redirectBase });
      assert.ok(!r.ok);
      assert.equal(r.reason, "redirect");
      assert.equal(r.suggestedBaseUrl, "https://shop.example.com");
      assert.equal(r.message, "Your store redirects to https://shop.example.com. Enter that address instead and try again.");
    });

    it("a redirect elsewhere explains what to check", async () => {
      const r = await request({ magentoBaseUrl: `${redirectBase}/shop` });
      assert.ok(!r.ok && r.reason === "redirect");
      assert.equal(r.suggestedBaseUrl, undefined);
      assert.match(r.message, /index\.php/);
    });
  });

  describe("TLS", () => {
    let tls: Awaited<ReturnType<typeof startSelfSignedServer>> = null;
    before(async () => {
      tls = await startSelfSignedServer("[]");
    });
    after(async () => {
      await tls?.close();
    });

    it("a self-signed certificate is a tls failure", async (t) => {
      if (!tls) return t.skip("openssl not available: cannot make a self-signed certificate");
      const r = await request({ magentoBaseUrl: tls.url });
      assert.ok(!r.ok);
      assert.equal(r.reason, "tls");
      assert.match(r.message, /certificate/);
    });
  });
});

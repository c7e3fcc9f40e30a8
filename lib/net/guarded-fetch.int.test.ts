import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createGuardedFetch } from "./guarded-fetch";
import { startSelfSignedServer } from "../../test/support/net/self-signed";

/**
 * Real servers on 127.0.0.1 (ephemeral ports). The guarded fetch runs with allowPrivate: true
 * except in the cases that check the private-address refusal itself.
 */

const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
const timers = new Set<NodeJS.Timeout>();

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
    switch (req.url) {
      case "/ok":
        res.writeHead(200, { "Content-Type": "application/json", "X-Multi": ["a", "b"] });
        return res.end('{"hello":"world"}');
      case "/echo":
        res.writeHead(201, { "Content-Type": "application/json" });
        return res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString(), auth: req.headers.authorization }));
      case "/moved":
        res.writeHead(301, { Location: "https://127.0.0.1/moved-here" });
        return res.end("moved");
      case "/moved-here":
        res.writeHead(200);
        return res.end("should never be fetched");
      case "/big-declared":
        res.writeHead(200, { "Content-Length": "4000" });
        return res.end("x".repeat(4000));
      case "/big-chunked":
        res.writeHead(200, { "Transfer-Encoding": "chunked" });
        res.write("y".repeat(700));
        return res.end("y".repeat(700));
      case "/slow-body": {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.write("partial");
        const t = setTimeout(() => res.end("late"), 5_000);
        timers.add(t);
        return;
      }
      case "/status/503":
        res.writeHead(503, { "Retry-After": "5" });
        return res.end('{"message":"down"}');
      default:
        res.writeHead(404);
        return res.end();
    }
  });
});

// Accepts TCP connections and never answers: a hung server.
const silent = net.createServer(() => undefined);
let base = "";
let silentPort = 0;

before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  silentPort = (silent.address() as AddressInfo).port;
});

after(async () => {
  for (const t of timers) clearTimeout(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => silent.close(r));
});

const devFetch = createGuardedFetch({ allowPrivate: true, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });

describe("guardedFetch against real servers", () => {
  it("returns status, lower-cased joined headers and the body", async () => {
    const r = await devFetch(`${base}/ok`, { headers: { Accept: "application/json" } });
    assert.equal(r.kind, "response");
    assert.ok(r.kind === "response");
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.headers["x-multi"], "a, b");
    assert.equal(r.body.toString(), '{"hello":"world"}');
    assert.equal(seen.at(-1)?.headers.accept, "application/json");
  });

  it("resolves hostnames and connects to the checked address", async () => {
    const r = await devFetch(`http://localhost:${new URL(base).port}/ok`);
    assert.ok(r.kind === "response");
    assert.equal(r.status, 200);
    assert.equal(seen.at(-1)?.headers.host, `localhost:${new URL(base).port}`);
  });

  it("sends method, headers and body exactly", async () => {
    const r = await devFetch(`${base}/echo`, {
      method: "POST",
      headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
      body: '{"a":"é"}',
    });
    assert.ok(r.kind === "response");
    assert.equal(r.status, 201);
    assert.deepEqual(JSON.parse(r.body.toString()), { method: "POST", body: '{"a":"é"}', auth: "Bearer t" });
    assert.equal(seen.at(-1)?.headers["content-length"], String(Buffer.byteLength('{"a":"é"}')));
  });

  it("returns 4xx/5xx as responses (the caller classifies them)", async () => {
    const r = await devFetch(`${base}/status/503`);
    assert.ok(r.kind === "response");
    assert.equal(r.status, 503);
    assert.equal(r.headers["retry-after"], "5");
  });

  it("never follows a redirect", async () => {
    const before = seen.length;
    const r = await devFetch(`${base}/moved`);
    assert.deepEqual(r, { kind: "redirect", status: 301, location: "https://127.0.0.1/moved-here", message: "HTTP 301 redirect" });
    assert.equal(seen.length, before + 1);
    assert.equal(
      seen.some((s) => s.url === "/moved-here"),
      false,
    );
  });

  it("caps the body, by Content-Length and while streaming", async () => {
    const small = createGuardedFetch({ allowPrivate: true, maxBodyBytes: 1_000 });
    assert.equal((await small(`${base}/big-declared`)).kind, "too_large");
    assert.equal((await small(`${base}/big-chunked`)).kind, "too_large");
    assert.equal((await small(`${base}/ok`)).kind, "response");
  });

  it("times out a hung server (total) and a hung TLS handshake (connect)", async () => {
    const quick = createGuardedFetch({ allowPrivate: true, connectTimeoutMs: 300, totalTimeoutMs: 600 });
    const hungHttp = await quick(`http://127.0.0.1:${silentPort}/`);
    assert.equal(hungHttp.kind, "timeout");
    assert.equal(hungHttp.kind === "timeout" && hungHttp.phase, "total");
    const hungTls = await quick(`https://127.0.0.1:${silentPort}/`);
    assert.equal(hungTls.kind, "timeout");
    assert.equal(hungTls.kind === "timeout" && hungTls.phase, "connect");
    const slowBody = await quick(`${base}/slow-body`);
    assert.equal(slowBody.kind, "timeout");
  });

  it("reports refused connections and unknown hosts as unreachable", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const refused = await devFetch(`http://127.0.0.1:${port}/`);
    assert.equal(refused.kind, "unreachable");
    assert.equal(refused.kind === "unreachable" && refused.code, "ECONNREFUSED");
    const unknown = await devFetch("http://nonexistent.invalid/");
    assert.equal(unknown.kind, "unreachable");
  });

  it("rejects non-http(s) URLs and embedded credentials", async () => {
    assert.equal((await devFetch("ftp://127.0.0.1/")).kind, "invalid_url");
    assert.equal((await devFetch("file:///etc/passwd")).kind, "invalid_url");
    assert.equal((await devFetch(`http://u:p@127.0.0.1:1/`)).kind, "invalid_url");
    assert.equal((await devFetch("not a url")).kind, "invalid_url");
  });
});

describe("private-address refusal (allowPrivate: false)", () => {
  const prodFetch = createGuardedFetch({ allowPrivate: false, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });

  it("refuses loopback literals and hostnames that resolve to loopback, before connecting", async () => {
    const before = seen.length;
    for (const url of [
      `${base}/ok`,
      `http://localhost:${new URL(base).port}/ok`,
      "http://[::1]:1/",
      "http://[::ffff:127.0.0.1]:1/",
      "http://169.254.169.254/latest/meta-data/",
    ]) {
      const r = await prodFetch(url);
      assert.equal(r.kind, "blocked_address", url);
    }
    assert.equal(seen.length, before, "no request reached the server");
  });
});

describe("TLS", () => {
  let tls: Awaited<ReturnType<typeof startSelfSignedServer>> = null;
  before(async () => {
    tls = await startSelfSignedServer("secret");
  });
  after(async () => {
    await tls?.close();
  });

  it("reports an untrusted (self-signed) certificate as tls", async (t) => {
    if (!tls) return t.skip("openssl not available: cannot make a self-signed certificate");
    const r = await devFetch(`${tls.url}/`);
    assert.equal(r.kind, "tls");
    assert.equal(r.kind === "tls" && r.code, "DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("reports https against a plain-http port as tls", async () => {
    const r = await devFetch(`${base.replace("http:", "https:")}/ok`);
    assert.equal(r.kind, "tls");
  });
});

describe("programming errors", () => {
  it("throws on an invalid header value instead of blaming the network", async () => {
    await assert.rejects(devFetch(`${base}/ok`, { headers: { "X-Bad": "a\r\nInjected: 1" } }), { code: "ERR_INVALID_CHAR" });
  });
});

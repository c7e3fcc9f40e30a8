import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Test-only: a throwaway self-signed certificate for 127.0.0.1/localhost, made with the `openssl`
 * CLI. Returns null when openssl is not installed, so TLS cases can skip with a clear message.
 */
export function selfSignedCert(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), "ledger-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Test-only: an HTTPS server on 127.0.0.1 behind a throwaway self-signed certificate, answering 200
 * with `body` to every request; null when openssl is not installed (see selfSignedCert).
 */
export async function startSelfSignedServer(body: string): Promise<{ url: string; close(): Promise<void> } | null> {
  const cert = selfSignedCert();
  if (!cert) return null;
  const server = https.createServer(cert, (_req, res) => {
    res.writeHead(200);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

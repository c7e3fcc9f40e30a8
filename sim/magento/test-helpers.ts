import { createHmac, hkdfSync, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startMagentoSim, type MagentoSim, type StartOptions } from "./server.ts";

/**
 * Shared pieces of the simulator's integration tests: the test database, a ledger stand-in on a real
 * HTTP port, and an inbound-token minter written independently of the simulator's module code.
 */

export const TEST_DATABASE_URL = process.env.MAGENTO_SIM_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ledger_msim_test";
/** 2026-04-30T12:00:00Z — a fixed sim clock keeps backoff timestamps exact. */
export const T0 = Date.parse("2026-04-30T12:00:00Z");

export async function startTestSim(storeKey: string, extra: Partial<StartOptions> = {}): Promise<MagentoSim> {
  const sim = await startMagentoSim({ databaseUrl: TEST_DATABASE_URL, port: 0, storeKey, drainSeconds: 0, clock: () => T0, ...extra });
  await call(sim, "POST", "/admin/api/reset");
  return sim;
}

export interface Called {
  status: number;
  text: string;
  json: unknown;
}

export async function call(
  sim: { url: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Called> {
  const res = await fetch(sim.url + path, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

export function subkey(apiKey: string, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(apiKey, "utf8"), Buffer.alloc(0), Buffer.from(info), 32));
}

/** What the ledger would mint (wire-protocol §3.3 recommendation). */
export function mintInbound(apiKey: string, tenant: string, nowSeconds: number, over: Record<string, unknown> = {}): string {
  const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url");
  const claims = {
    iss: "byte8-ledger",
    sub: tenant,
    aud: "magento",
    iat: nowSeconds,
    nbf: nowSeconds - 30,
    exp: nowSeconds + 120,
    jti: randomUUID(),
    ...over,
  };
  const p = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${h}.${p}.${createHmac("sha256", subkey(apiKey, "byte8-magento-inbound-v1")).update(`${h}.${p}`).digest("base64url")}`;
}

/** Pairs `sim` with the given tenant/key; returns the base URL written. */
export async function pairSim(sim: MagentoSim, tenant: string, apiKey: string, ledgerBaseUrl: string): Promise<void> {
  const code = (await call(sim, "POST", "/admin/api/pairing-code")).json as { code: string };
  const res = await call(sim, "POST", "/rest/V1/byte8/setup/pair", {
    pairing_code: code.code,
    tenant_id: tenant,
    byte8_api_key: apiKey,
    ledger_base_url: ledgerBaseUrl,
  });
  if (res.status !== 200) throw new Error(`pairing failed: ${res.status} ${res.text}`);
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

/** A tiny ledger on 127.0.0.1: records every request and answers from a queue (default 202). */
export interface LedgerStandIn {
  url: string;
  requests: Recorded[];
  replies: Reply[];
  fallback: (req: Recorded) => Reply;
  close(): Promise<void>;
}

export async function startLedgerStandIn(): Promise<LedgerStandIn> {
  const state: Omit<LedgerStandIn, "url" | "close"> = {
    requests: [],
    replies: [],
    fallback: () => ({ status: 202, body: '{"sync_run_id":"run-abc"}', headers: { "content-type": "application/json" } }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      state.requests.push(rec);
      const reply = state.replies.shift() ?? state.fallback(rec);
      if (reply === "hang") return; // never answer: the client's timeout must fire
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CONTACT_5, CREDIT_MEMO_9, INVOICE_8_5, PAYMENT_42, PAYMENT_METHODS, PRODUCT_7, pingList } from "./wire-bodies";
import { MagentoVerifierModel } from "./token-verifier";

/**
 * Test-only: a small Magento stand-in for the integration tests of lib/magento, answering the
 * Byte8 routes the way wire-protocol §7.2, §8 and §9.1 describe (stock webapi error bodies, 401 for
 * any token failure, anonymous pairing). It checks every bearer token with the independent
 * `MagentoVerifierModel`, never with our own jwt.ts. `script()` queues canned answers for a path so
 * tests can provoke 5xx, 429, redirects or slow responses.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Verdict of the token check (signed routes only). */
  token?: { ok: boolean; jti?: string; reason?: string };
}

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface PairedState {
  tenantId: string;
  apiKey: string;
  ledgerBaseUrl: string;
}

const AUTH_FAILED =
  '{"message":"The consumer isn\'t authorized to access %resources.","parameters":{"resources":"Byte8_Client::byte8_webapi"}}';
const NO_ROUTE = '{"message":"Request does not match any route."}';
const SYNC_ENTITY_TYPES = ["invoice", "creditmemo", "customer", "product"];

export class FakeMagento {
  readonly requests: RecordedRequest[] = [];
  readonly syncState = new Map<string, Record<string, unknown>>();
  paired: PairedState | null = null;
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private verifier: MagentoVerifierModel;
  private pairing: { hash: string; issuedAt: number } | null = null;
  private server!: http.Server;
  baseUrl = "";

  constructor(
    apiKey: string,
    private tenantId: string,
  ) {
    this.verifier = new MagentoVerifierModel(apiKey, tenantId);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Generates a pairing code like Magento's admin does; `ageSeconds` backdates it. */
  issuePairingCode(code: string, ageSeconds = 0): void {
    this.pairing = { hash: createHash("sha256").update(code).digest("hex"), issuedAt: Math.floor(Date.now() / 1000) - ageSeconds };
  }

  /** Answers the next requests to `path` (exact, e.g. `/rest/V1/byte8/invoice/42`) with these, in order. */
  script(path: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...answers]);
  }

  private send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(body);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const record: RecordedRequest = { method: req.method ?? "", path, headers: req.headers, body };
    this.requests.push(record);

    const signed = path.startsWith("/rest/V1/byte8/") && path !== "/rest/V1/byte8/setup/pair";
    if (signed) {
      const m = /^bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? "").trim());
      const verdict = m ? this.verifier.verify(m[1], Math.floor(Date.now() / 1000)) : { ok: false as const, reason: "missing" };
      record.token = verdict.ok ? { ok: true, jti: verdict.jti } : { ok: false, reason: verdict.reason };
      if (!verdict.ok) return this.send(res, 401, AUTH_FAILED);
    }

    const scripted = this.scripts.get(path)?.shift();
    if (scripted) {
      const answer = () => this.send(res, scripted.status, scripted.body ?? "", scripted.headers);
      if (!scripted.delayMs) return answer();
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!res.destroyed) answer();
      }, scripted.delayMs);
      this.timers.add(t);
      return;
    }

    if (req.method === "POST" && path === "/rest/V1/byte8/setup/pair") return this.pair(res, body);
    if (req.method === "POST" && path === "/rest/V1/byte8/sync-state") return this.upsertSyncState(res, body);
    if (req.method !== "GET") return this.send(res, 404, NO_ROUTE);

    const m = /^\/rest\/V1\/byte8\/(ping|payment-methods|invoice|creditmemo|customer|product|payment)(?:\/([^/]+))?$/.exec(path);
    if (!m) return this.send(res, 404, NO_ROUTE);
    const [, route, rawId] = m;
    if (route === "ping") return this.send(res, 200, pingList(this.tenantId));
    if (route === "payment-methods") return this.send(res, 200, PAYMENT_METHODS);
    if (!/^\d+$/.test(rawId ?? "")) return this.send(res, 400, '{"message":"The \\"%1\\" value\'s type is invalid.","parameters":["id"]}');
    const id = Number(rawId);
    const notFound = '{"message":"The entity that was requested doesn\'t exist. Verify the entity and try again."}';
    switch (route) {
      case "invoice":
        if (id === 0) return this.send(res, 400, '{"message":"An ID is needed. Set the ID and try again."}');
        return id === 42 ? this.send(res, 200, INVOICE_8_5) : this.send(res, 404, notFound);
      case "creditmemo":
        return id === 9 ? this.send(res, 200, CREDIT_MEMO_9) : this.send(res, 404, notFound);
      case "customer":
        return id === 5
          ? this.send(res, 200, CONTACT_5)
          : this.send(
              res,
              404,
              JSON.stringify({
                message: "No such entity with %fieldName = %fieldValue",
                parameters: { fieldName: "customerId", fieldValue: id },
              }),
            );
      case "product":
        return id === 7
          ? this.send(res, 200, PRODUCT_7)
          : this.send(res, 404, '{"message":"The product that was requested doesn\'t exist. Verify the product and try again."}');
      default:
        return id === 42
          ? this.send(res, 200, PAYMENT_42)
          : this.send(res, 404, JSON.stringify({ message: "Invoice %1 has no associated order payment.", parameters: [String(id)] }));
    }
  }

  private pair(res: http.ServerResponse, raw: string): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      return this.send(res, 400, '{"message":"Decoding error."}');
    }
    for (const [snake, camel] of [
      ["pairing_code", "pairingCode"],
      ["tenant_id", "tenantId"],
      ["byte8_api_key", "byte8ApiKey"],
      ["ledger_base_url", "ledgerBaseUrl"],
    ]) {
      if (body[snake] == null && body[camel] == null) {
        return this.send(
          res,
          400,
          JSON.stringify({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: camel } }),
        );
      }
    }
    const code = String(body.pairing_code).trim();
    const tenantId = String(body.tenant_id).trim();
    const apiKey = String(body.byte8_api_key).trim();
    const ledgerBaseUrl = String(body.ledger_base_url).trim().replace(/\/+$/, "");
    if (!code || !tenantId || !apiKey || !ledgerBaseUrl) {
      return this.send(res, 400, '{"message":"pairing_code, tenant_id, byte8_api_key and ledger_base_url are all required."}');
    }
    if (!/^https?:\/\/[^/]+/.test(ledgerBaseUrl))
      return this.send(res, 400, '{"message":"ledger_base_url must be an absolute http(s) URL."}');
    const now = Math.floor(Date.now() / 1000);
    const valid =
      this.pairing !== null && now - this.pairing.issuedAt <= 1800 && createHash("sha256").update(code).digest("hex") === this.pairing.hash;
    if (!valid) return this.send(res, 401, '{"message":"Invalid or expired pairing code."}');
    this.pairing = null;
    this.paired = { tenantId, apiKey, ledgerBaseUrl };
    this.tenantId = tenantId;
    this.verifier = new MagentoVerifierModel(apiKey, tenantId);
    return this.send(res, 200, "[]");
  }

  private upsertSyncState(res: http.ServerResponse, raw: string): void {
    const b = JSON.parse(raw) as Record<string, unknown>;
    for (const k of ["entity_type", "magento_entity_id", "provider", "sync_status"]) {
      if (b[k] == null)
        return this.send(
          res,
          400,
          JSON.stringify({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: k } }),
        );
    }
    if (!SYNC_ENTITY_TYPES.includes(String(b.entity_type))) {
      return this.send(
        res,
        400,
        JSON.stringify({
          message: "Unknown entity_type %1; expected one of: %2",
          parameters: [b.entity_type, SYNC_ENTITY_TYPES.join(", ")],
        }),
      );
    }
    if (!(Number(b.magento_entity_id) > 0)) return this.send(res, 400, '{"message":"magento_entity_id must be positive"}');
    if (!["synced", "skipped", "failed"].includes(String(b.sync_status))) {
      return this.send(
        res,
        400,
        JSON.stringify({ message: "Invalid sync_status %1; pending is Magento-side only.", parameters: [b.sync_status] }),
      );
    }
    const row: Record<string, unknown> = { sync_status: b.sync_status };
    for (const k of ["provider_entity_id", "provider_reference", "skip_reason", "error_code", "last_sync_at"]) row[k] = b[k] ?? null;
    this.syncState.set(`${b.entity_type}:${b.magento_entity_id}:${b.provider}`, row);
    return this.send(res, 200, "[]");
  }
}

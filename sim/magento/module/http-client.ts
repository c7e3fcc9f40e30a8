import http from "node:http";
import https from "node:https";
import type { SimContext } from "../context.ts";
import type { ClientConfig } from "./config.ts";
import { mintOutboundForApiKey } from "./jwt.ts";

/**
 * ByteClient's transport (wire-protocol §4): one freshly minted JWT per request, cURL-like
 * connect/total timeouts, no redirect following, and the 2xx / 4xx / everything-else split.
 */

export type Outcome =
  | { kind: "ok"; status: number; body: string }
  | { kind: "bad_request"; status: number; body: string; message: string }
  | { kind: "transient"; message: string }
  | { kind: "not_connected"; message: string };

interface RawResponse {
  status: number;
  body: string;
}

function rawRequest(
  ctx: SimContext,
  method: "GET" | "POST",
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<RawResponse> {
  const { connectTimeoutMs, totalTimeoutMs } = ctx.http;
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === "https:" ? https : http;
    const started = Date.now();
    let received = 0;
    const req = lib.request(target, {
      method,
      headers: body === undefined ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
    });
    const total = setTimeout(() => {
      req.destroy(new Error(`Operation timed out after ${Date.now() - started} milliseconds with ${received} bytes received`));
    }, totalTimeoutMs);
    const connect = setTimeout(() => {
      req.destroy(new Error(`Connection timed out after ${Date.now() - started} milliseconds`));
    }, connectTimeoutMs);
    req.on("socket", (socket) => {
      const connected = () => clearTimeout(connect);
      if (!socket.connecting) connected();
      socket.once(target.protocol === "https:" ? "secureConnect" : "connect", connected);
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => {
        received += c.length;
        chunks.push(c);
      });
      res.on("end", () => {
        clearTimeout(total);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", (err) => {
        clearTimeout(total);
        reject(err);
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(total);
      clearTimeout(connect);
      reject(new Error(curlMessage(err, target)));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Rough cURL wording so operators see familiar messages in `last_error`. */
function curlMessage(err: NodeJS.ErrnoException, target: URL): string {
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  if (err.code === "ECONNREFUSED") return `Failed to connect to ${target.hostname} port ${port}: Connection refused`;
  if (err.code === "ENOTFOUND") return `Could not resolve host: ${target.hostname}`;
  if (err.code === "ECONNRESET") return "Recv failure: Connection reset by peer";
  return err.message;
}

async function signedRequest(
  ctx: SimContext,
  cfg: ClientConfig,
  method: "GET" | "POST",
  url: string,
  extraHeaders: Record<string, string>,
  body: string | undefined,
): Promise<Outcome> {
  if (!cfg.clientConnected || !cfg.tenantId || !cfg.apiKey) {
    return { kind: "not_connected", message: "Byte8 client is not connected — cannot mint JWT." };
  }
  const token = mintOutboundForApiKey(cfg.apiKey, cfg.tenantId, ctx.nowSeconds());
  let res: RawResponse;
  try {
    res = await rawRequest(ctx, method, url, { Authorization: `Bearer ${token}`, ...extraHeaders }, body);
  } catch (err) {
    const verb = method === "POST" ? "publishing to" : "fetching from";
    return { kind: "transient", message: `Network error ${verb} Byte8 (${url}): ${(err as Error).message}` };
  }
  if (res.status >= 200 && res.status < 300) return { kind: "ok", status: res.status, body: res.body };
  if (res.status >= 400 && res.status < 500) {
    return {
      kind: "bad_request",
      status: res.status,
      body: res.body,
      message: `Byte8 rejected request to ${url} with HTTP ${res.status}.`,
    };
  }
  return { kind: "transient", message: `Byte8 returned HTTP ${res.status} from ${url}; will retry.` };
}

export function postSigned(ctx: SimContext, cfg: ClientConfig, url: string, body: string, idempotencyKey: string): Promise<Outcome> {
  return signedRequest(ctx, cfg, "POST", url, { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey }, body);
}

export function getSigned(ctx: SimContext, cfg: ClientConfig, url: string): Promise<Outcome> {
  return signedRequest(ctx, cfg, "GET", url, { Accept: "application/json" }, undefined);
}

/** `rawurlencode` (RFC 3986): encodeURIComponent also leaves `!*'()` alone, PHP does not. */
export function rawurlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function webhookUrl(cfg: ClientConfig, eventName: string): string {
  return `${cfg.baseUrl}/webhooks/magento/${rawurlencode(cfg.tenantId ?? "")}/${rawurlencode(eventName)}`;
}

import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isBlockedAddress } from "./ip";

/**
 * The one HTTP client for tenant-supplied URLs (the merchant's Magento).
 *
 * - Resolves the host first and checks every address; the socket is then pinned to the checked
 *   address through a custom `lookup`, so a second DNS answer (rebinding) is never used.
 * - Never follows redirects: a 3xx comes back as `{ kind: "redirect" }`.
 * - Connect timeout covers DNS, TCP and TLS handshake (like cURL's); the total timeout the whole
 *   exchange including the body, which is capped in size.
 * - Network-level failures are returned as typed outcomes, never thrown; the caller decides what a
 *   timeout or a TLS error means for its user.
 */

export const GUARDED_FETCH_DEFAULTS = {
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 15_000,
  maxBodyBytes: 5 * 1024 * 1024,
} as const;

export interface GuardedFetchOptions {
  /** Allow loopback/private/link-local targets. Only outside production (tests and the demo use 127.0.0.1). */
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxBodyBytes?: number;
}

export interface GuardedRequest {
  method?: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface GuardedResponse {
  kind: "response";
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

export const GUARDED_FAILURES = ["invalid_url", "blocked_address", "timeout", "unreachable", "tls", "redirect", "too_large"] as const;
export type GuardedFailureKind = (typeof GUARDED_FAILURES)[number];

export interface GuardedFailure {
  kind: GuardedFailureKind;
  /** Short technical description (for logs and operator detail; never contains secrets). */
  message: string;
  /** Node/OpenSSL error code when there is one (ECONNREFUSED, CERT_HAS_EXPIRED, …). */
  code?: string;
  /** For `redirect`: the status and the Location header. */
  status?: number;
  location?: string;
  /** For `timeout`: which phase ran out. */
  phase?: "connect" | "total";
}

export type GuardedOutcome = GuardedResponse | GuardedFailure;
export type GuardedFetch = (url: string | URL, request?: GuardedRequest) => Promise<GuardedOutcome>;

const TLS_CODES = new Set([
  "EPROTO",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
  "INVALID_CA",
  "INVALID_PURPOSE",
  "PATH_LENGTH_EXCEEDED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Certificate and handshake failures are `tls`; every other socket/DNS error (ECONNREFUSED, ENOTFOUND, ECONNRESET, EHOSTUNREACH, …) is `unreachable`. */
function classifyError(err: NodeJS.ErrnoException): GuardedFailure {
  const code = err.code;
  if (code && (TLS_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_"))) {
    return { kind: "tls", message: err.message, code };
  }
  return { kind: "unreachable", message: err.message, code };
}

class Abort extends Error {
  constructor(readonly outcome: GuardedFailure) {
    super(outcome.message);
  }
}

async function resolveChecked(hostname: string, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 } | GuardedFailure> {
  const literal = hostname.replace(/^\[|\]$/g, "");
  const literalFamily = isIP(literal);
  let addresses: { address: string; family: number }[];
  if (literalFamily) {
    addresses = [{ address: literal, family: literalFamily }];
  } else {
    try {
      addresses = await dnsLookup(hostname, { all: true, verbatim: true });
    } catch (e) {
      return classifyError(e as NodeJS.ErrnoException);
    }
  }
  if (addresses.length === 0) return { kind: "unreachable", message: `no address for ${hostname}`, code: "ENOTFOUND" };
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isBlockedAddress(a.address));
    if (blocked) {
      return { kind: "blocked_address", message: `${hostname} resolves to a non-public address (${blocked.address})` };
    }
  }
  const first = addresses[0];
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

function timeoutAfter(ms: number, phase: "connect" | "total"): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Abort({ kind: "timeout", phase, message: `${phase} timeout after ${ms} ms` })), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const connectTimeoutMs = options.connectTimeoutMs ?? GUARDED_FETCH_DEFAULTS.connectTimeoutMs;
  const totalTimeoutMs = options.totalTimeoutMs ?? GUARDED_FETCH_DEFAULTS.totalTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? GUARDED_FETCH_DEFAULTS.maxBodyBytes;

  return async function guardedFetch(input, request = {}) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return { kind: "invalid_url", message: "not an absolute URL" };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { kind: "invalid_url", message: `unsupported scheme ${url.protocol}` };
    }
    if (url.username || url.password) return { kind: "invalid_url", message: "credentials in URLs are not allowed" };

    const total = timeoutAfter(totalTimeoutMs, "total");
    const connect = timeoutAfter(connectTimeoutMs, "connect");
    let req: http.ClientRequest | undefined;
    try {
      const target = await Promise.race([resolveChecked(url.hostname, options.allowPrivate), connect.promise, total.promise]);
      if ("kind" in target) return target;

      // Pin the connection to the address we checked, whatever the resolver would say now.
      const pinned: LookupFunction = (_host, opts, cb) => {
        if (opts.all) cb(null, [{ address: target.address, family: target.family }]);
        else cb(null, target.address, target.family);
      };
      const transport = url.protocol === "https:" ? https : http;
      const body =
        request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, "utf8");
      const headers: Record<string, string> = { ...request.headers };
      if (body) headers["Content-Length"] = String(body.length);

      const exchange = new Promise<GuardedOutcome>((resolve, reject) => {
        req = transport.request(url, {
          method: request.method ?? "GET",
          headers,
          lookup: pinned,
          agent: false,
        });
        req.on("socket", (socket) => {
          socket.once(url.protocol === "https:" ? "secureConnect" : "connect", () => connect.cancel());
        });
        req.on("error", (err) => reject(err));
        req.on("response", (res) => {
          connect.cancel();
          const status = res.statusCode ?? 0;
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          if (status >= 300 && status < 400) {
            res.destroy();
            resolve({ kind: "redirect", status, location: responseHeaders.location, message: `HTTP ${status} redirect` });
            return;
          }
          const declared = Number(responseHeaders["content-length"]);
          if (Number.isFinite(declared) && declared > maxBodyBytes) {
            res.destroy();
            resolve({ kind: "too_large", message: `response of ${declared} bytes exceeds ${maxBodyBytes}` });
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              res.destroy();
              resolve({ kind: "too_large", message: `response exceeds ${maxBodyBytes} bytes` });
              return;
            }
            chunks.push(chunk);
          });
          res.on("error", (err) => reject(err));
          res.on("end", () => resolve({ kind: "response", status, headers: responseHeaders, body: Buffer.concat(chunks) }));
        });
        req.end(body);
      });
      exchange.catch(() => undefined); // a late socket error after a timeout won the race
      return await Promise.race([exchange, connect.promise, total.promise]);
    } catch (e) {
      if (e instanceof Abort) return e.outcome;
      const code = (e as NodeJS.ErrnoException).code;
      // Bad header values and the like are our bugs, not the merchant's network: let them surface.
      if (code?.startsWith("ERR_INVALID_") || code?.startsWith("ERR_HTTP_INVALID_")) throw e;
      return classifyError(e as NodeJS.ErrnoException);
    } finally {
      total.cancel();
      connect.cancel();
      req?.destroy();
    }
  };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimContext } from "../context.ts";
import * as canonical from "../module/canonical.ts";
import { cacheClaim, loadClientConfig } from "../module/config.ts";
import { bearerToken, looksLikeByte8Jwt, verifyInbound } from "../module/jwt.ts";
import { phpJsonEncode, type PhpJson } from "../module/php-json.ts";
import { noRoute, unauthorizedConsumer, WebapiError } from "./errors.ts";
import { paymentMethods, ping, setupPair, syncState } from "./handlers.ts";
import { answerDuringOutage, type Outage } from "./outage.ts";
import { routeId } from "./params.ts";

/** Magento's REST front controller for the Byte8 routes (wire-protocol §8): routing, JWT auth, errors. */

export interface AuthLogEntry {
  at: string;
  method: string;
  path: string;
  /** `byte8` = verified ledger token; otherwise why the request ended as 401. */
  result: "byte8" | "rejected" | "not_byte8" | "no_token";
  reason: string | null;
}

export interface RestState {
  authLog: AuthLogEntry[];
  /**
   * Test hook: JSON merged into a REST answer by path after `V1/` (`byte8/invoice/7`), for content a
   * real Magento holds and PostgreSQL cannot (NUL bytes in MySQL text columns, say).
   */
  patches: Map<string, Record<string, unknown>>;
  /** A simulated outage of the whole REST API (rest/outage.ts); `none` normally. */
  outage: Outage;
}

/** Deep-merges `patch` into `body` (objects merge, everything else replaces). */
function applyPatch(body: PhpJson, patch: unknown): PhpJson {
  if (!patch || typeof patch !== "object" || Array.isArray(patch) || !body || typeof body !== "object" || Array.isArray(body))
    return patch as PhpJson;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = k in out ? applyPatch(out[k] as PhpJson, v) : v;
  return out as PhpJson;
}

type Handler = (ctx: SimContext, params: { id?: string }, body: unknown) => Promise<PhpJson> | PhpJson;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  anonymous: boolean;
  handler: Handler;
}

const byId =
  (fn: (db: SimContext["pool"], storeKey: string, id: number) => Promise<PhpJson>): Handler =>
  (ctx, params) =>
    fn(ctx.pool, ctx.storeKey, routeId(params.id ?? ""));

const ROUTES: Route[] = [
  { method: "GET", pattern: /^byte8\/ping$/, anonymous: false, handler: (ctx) => ping(ctx) },
  { method: "GET", pattern: /^byte8\/payment-methods$/, anonymous: false, handler: () => paymentMethods() },
  { method: "GET", pattern: /^byte8\/invoice\/(?<id>[^/]+)$/, anonymous: false, handler: byId(canonical.canonicalInvoice) },
  { method: "GET", pattern: /^byte8\/customer\/(?<id>[^/]+)$/, anonymous: false, handler: byId(canonical.canonicalContact) },
  { method: "GET", pattern: /^byte8\/creditmemo\/(?<id>[^/]+)$/, anonymous: false, handler: byId(canonical.canonicalCreditMemo) },
  { method: "GET", pattern: /^byte8\/payment\/(?<id>[^/]+)$/, anonymous: false, handler: byId(canonical.canonicalPayment) },
  { method: "GET", pattern: /^byte8\/product\/(?<id>[^/]+)$/, anonymous: false, handler: byId(canonical.canonicalProduct) },
  { method: "POST", pattern: /^byte8\/sync-state$/, anonymous: false, handler: (ctx, _p, body) => syncState(ctx, body) },
  { method: "POST", pattern: /^byte8\/setup\/pair$/, anonymous: true, handler: (ctx, _p, body) => setupPair(ctx, body) },
];

/** `/rest/V1/...`, `/rest/<store code>/V1/...` and the `/index.php/rest/...` forms. */
const REST_PREFIX = /^(?:\/index\.php)?\/rest\/(?:(?:default|all|[a-z0-9_]+)\/)?V1\/(.*)$/;

export function isRestPath(pathname: string): boolean {
  return REST_PREFIX.test(pathname);
}

function send(res: ServerResponse, status: number, body: PhpJson): void {
  // Magento's REST renderer uses plain json_encode: `/` is escaped, non-ASCII is \uXXXX.
  const text = phpJsonEncode(body, { unescapedSlashes: false });
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type === "") throw new WebapiError(400, "Content-Type header is empty.");
  if (type !== "application/json") throw new WebapiError(400, "Server cannot understand Content-Type HTTP header media type %1", [type]);
  if (raw.trim() === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    throw new WebapiError(400, "Decoding error.");
  }
}

async function authenticate(ctx: SimContext, req: IncomingMessage): Promise<Omit<AuthLogEntry, "at" | "method" | "path">> {
  const token = bearerToken(req.headers.authorization);
  if (token === null) return { result: "no_token", reason: null };
  // Only tokens whose unverified payload says iss=byte8-ledger, aud=magento reach the Verifier;
  // everything else falls through to Magento's own token handling, which knows no such token.
  if (!looksLikeByte8Jwt(token)) return { result: "not_byte8", reason: "not a Byte8 token (stock token handling rejected it)" };
  const cfg = await loadClientConfig(ctx);
  const verdict = await verifyInbound(token, {
    tenantId: cfg.clientConnected ? cfg.tenantId : null,
    apiKey: cfg.clientConnected ? cfg.apiKey : null,
    nowSeconds: ctx.nowSeconds(),
    replay: { claim: (key, ttl, now) => cacheClaim(ctx, key, ttl, now) },
  });
  return verdict.ok ? { result: "byte8", reason: null } : { result: "rejected", reason: verdict.reason };
}

export async function handleRest(
  ctx: SimContext,
  state: RestState,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const rest = REST_PREFIX.exec(pathname)?.[1] ?? "";
  const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(rest));
  if (answerDuringOutage(state.outage, res)) return;
  try {
    const raw = await readBody(req);
    if (!route) throw noRoute();
    if (!route.anonymous) {
      const auth = await authenticate(ctx, req);
      state.authLog.push({ at: new Date(ctx.nowMs()).toISOString(), method: req.method ?? "", path: pathname, ...auth });
      if (state.authLog.length > 200) state.authLog.shift();
      if (auth.result !== "byte8") {
        if (auth.result === "rejected") ctx.log.warn({ reason: auth.reason, path: pathname }, "inbound JWT verification failed");
        throw unauthorizedConsumer();
      }
    }
    const params = (route.pattern.exec(rest)?.groups ?? {}) as { id?: string };
    const body = route.method === "POST" ? parseBody(req, raw) : undefined;
    const answer = await route.handler(ctx, params, body);
    const patch = state.patches.get(rest);
    send(res, 200, patch ? applyPatch(answer, patch) : answer);
  } catch (err) {
    if (err instanceof WebapiError) {
      send(res, err.status, err.body());
      return;
    }
    ctx.log.error({ err: (err as Error).message, path: pathname }, "REST handler crashed");
    // Production mode masks unexpected exceptions.
    send(res, 500, { message: "Internal Error. Details are available in Magento log file. Report ID: %1", parameters: ["webapi-sim"] });
  }
}

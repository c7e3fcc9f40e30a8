import { matchRoute, type ApiContext, type Route } from "./context.ts";
import { SageError, item, notFound, parseJson, unauthorized, type Reply, type Req } from "./http.ts";
import { envelope, paging, selectAttributes } from "./listing.ts";
import { artefactRoutes } from "./resources/artefacts.ts";
import { contactRoutes } from "./resources/contacts.ts";
import { itemRoutes } from "./resources/items.ts";
import { paymentRoutes } from "./resources/payments.ts";
import { referenceRoutes } from "./resources/reference-routes.ts";
import type { Runtime } from "./runtime.ts";
import { BUSINESSES, businessRecord, businessSeed } from "./seed.ts";

/** The /v3.1 surface: bearer token → business (X-Business) → per-business rate limit → route. */
const ROUTES: Route[] = [...contactRoutes, ...artefactRoutes, ...paymentRoutes, ...itemRoutes, ...referenceRoutes];

async function authenticate(rt: Runtime, req: Req) {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized("Access denied.");
  const verified = await rt.tokens.verifyAccess(match[1]);
  if (verified === "expired") throw unauthorized("The access token has expired.");
  if (!verified) throw unauthorized("Access denied.");
  return verified.grant;
}

function businessesReply(req: Req, leadId: string, path: string): Reply {
  const q = req.url.searchParams;
  if (path === "/businesses") {
    const { page, perPage } = paging(q);
    const all = BUSINESSES.map(businessRecord);
    const items = all.slice((page - 1) * perPage, page * perPage);
    return { status: 200, json: envelope("/businesses", q, all.length, page, perPage, items) };
  }
  const id = path.slice("/businesses/".length);
  const seed = businessSeed(id === "lead" ? leadId : id);
  if (!seed) throw notFound();
  return { status: 200, json: selectAttributes(businessRecord(seed), q.get("attributes"), true) };
}

export async function handleApi(rt: Runtime, req: Req): Promise<Reply> {
  const path = req.url.pathname.slice("/v3.1".length) || "/";
  const grant = await authenticate(rt, req);
  if (path === "/businesses" || path.startsWith("/businesses/")) {
    if (req.method !== "GET") throw new SageError(405, [item("MethodNotAllowed", "Method not allowed.")]);
    return businessesReply(req, grant.leadBusinessId, path);
  }

  // sage-api §3.2 says X-Business is optional (lead business); the emulator requires it unless told
  // otherwise, so a client that forgets it fails in tests rather than posting to the wrong business.
  const header = req.headers["x-business"];
  const businessId = typeof header === "string" && header ? header : rt.config.leadBusinessDefault ? grant.leadBusinessId : undefined;
  if (!businessId) throw unauthorized("Access denied. The X-Business header is required.");
  const business = businessSeed(businessId);
  if (!business) throw unauthorized("Access denied. Unknown business.");

  const allowed = rt.limiter.take(business.id);
  if (!allowed.ok) {
    rt.stats.counters.throttled_429 += 1;
    throw new SageError(429, [item("TooManyRequests", "Too many requests. Please retry later.")], {
      "retry-after": String(allowed.retryAfterSeconds),
    });
  }

  const matched = matchRoute(ROUTES, req.method, path);
  if (matched === "method") throw new SageError(405, [item("MethodNotAllowed", "Method not allowed.")]);
  if (!matched) throw notFound();

  let body: unknown;
  if (req.method === "POST" || req.method === "PUT") {
    const type = req.headers["content-type"] ?? "";
    if (!type.includes("application/json")) {
      throw new SageError(415, [item("UnsupportedMediaType", "Content-Type must be application/json.")]);
    }
    body = parseJson(req.body);
  }
  const ctx: ApiContext = { db: rt.db, config: rt.config, business, scope: grant.scope, req, body };
  const result = await matched.route.handler(ctx, matched.params);
  if (result.replayed) rt.stats.counters.idempotent_replays += 1;
  return { status: result.status, json: result.body };
}

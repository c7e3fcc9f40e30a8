import { z } from "zod";
import { quirksSchema } from "./config.ts";
import { SCHEMA, withTx } from "./db.ts";
import { handleDocumentsAdmin } from "./accountant.ts";
import { parseJson, type Reply, type Req } from "./http.ts";
import type { Runtime } from "./runtime.ts";
import { BUSINESSES, businessSeed } from "./seed.ts";

/**
 * Test and demo controls under /_admin (JSON). Unauthenticated by design: the emulator listens on
 * loopback for tests and demos only.
 */
const resetSchema = z.strictObject({
  faults: z.boolean().default(true),
  stats: z.boolean().default(true),
  rate_limits: z.boolean().default(true),
  /** Wipes every stored document, counter and idempotency claim (businesses stay). */
  data: z.boolean().default(false),
  tokens: z.boolean().default(false),
});

const configSchema = z.strictObject({
  rate_limit_per_minute: z.number().int().min(0).optional(),
  lead_business_default: z.boolean().optional(),
  quirks: quirksSchema.partial().optional(),
});

const tokenSchema = z.strictObject({
  business_id: z.string().optional(),
  scope: z.enum(["full_access", "readonly"]).default("full_access"),
  client_id: z.string().optional(),
});

const bad = (message: string): Reply => ({ status: 400, json: { error: "bad_request", message } });

function parse<S extends z.ZodType>(schema: S, body: string): z.output<S> | Reply {
  const r = schema.safeParse(parseJson(body));
  return r.success ? r.data : bad(z.prettifyError(r.error));
}
const isReply = (x: unknown): x is Reply => typeof x === "object" && x !== null && "status" in x && typeof (x as Reply).status === "number";

export async function handleAdmin(rt: Runtime, req: Req): Promise<Reply> {
  const path = req.url.pathname.slice("/_admin".length);
  const m = req.method;
  if (path.startsWith("/documents/")) return handleDocumentsAdmin(rt, req, path.slice("/documents/".length));
  if (path === "/stats" && m === "GET") return { status: 200, json: rt.stats.snapshot() };
  if (path === "/faults" && m === "GET") return { status: 200, json: rt.faults.list() };
  if (path === "/faults" && m === "POST") {
    const body = parseJson(req.body);
    const rules = Array.isArray(body) ? body : [body];
    try {
      return { status: 201, json: rules.map((r) => rt.faults.add(r)) };
    } catch (err) {
      return bad(err instanceof z.ZodError ? z.prettifyError(err) : String(err));
    }
  }
  if (path === "/faults" && m === "DELETE") {
    rt.faults.clear();
    return { status: 204 };
  }
  if (path.startsWith("/faults/") && m === "DELETE") {
    return rt.faults.remove(path.slice("/faults/".length)) ? { status: 204 } : { status: 404, json: { error: "not_found" } };
  }
  if (path === "/reset" && m === "POST") {
    const opts = parse(resetSchema, req.body);
    if (isReply(opts)) return opts;
    if (opts.faults) rt.faults.clear();
    if (opts.stats) rt.stats.reset();
    if (opts.rate_limits) rt.limiter.reset();
    if (opts.data || opts.tokens) {
      await withTx(rt.db, async (tx) => {
        if (opts.data) await tx.query(`TRUNCATE ${SCHEMA}.records, ${SCHEMA}.counters, ${SCHEMA}.idempotency`);
        if (opts.tokens) await tx.query(`TRUNCATE ${SCHEMA}.oauth_tokens`);
      });
    }
    return { status: 200, json: { reset: opts } };
  }
  if (path === "/config" && m === "GET") return { status: 200, json: publicConfig(rt) };
  if (path === "/config" && m === "PUT") {
    const c = parse(configSchema, req.body);
    if (isReply(c)) return c;
    if (c.rate_limit_per_minute !== undefined) {
      rt.config.rateLimitPerMinute = c.rate_limit_per_minute;
      rt.limiter.perMinute = c.rate_limit_per_minute;
    }
    if (c.lead_business_default !== undefined) rt.config.leadBusinessDefault = c.lead_business_default;
    if (c.quirks) rt.config.quirks = { ...rt.config.quirks, ...c.quirks };
    return { status: 200, json: publicConfig(rt) };
  }
  if (path === "/tokens" && m === "POST") {
    const t = parse(tokenSchema, req.body);
    if (isReply(t)) return t;
    const business = businessSeed(t.business_id ?? BUSINESSES[0].id);
    if (!business) return bad("unknown business_id");
    const client = t.client_id ?? rt.config.clients[0].id;
    rt.stats.counters.tokens_issued += 1;
    return { status: 201, json: await rt.tokens.issueDirect(client, business.id, t.scope) };
  }
  if (path === "/expire-access-tokens" && m === "POST") {
    return { status: 200, json: { expired: await rt.tokens.expireAccessTokens() } };
  }
  return { status: 404, json: { error: "not_found" } };
}

function publicConfig(rt: Runtime) {
  const c = rt.config;
  return {
    access_ttl_seconds: c.accessTtlSeconds,
    refresh_ttl_seconds: c.refreshTtlSeconds,
    code_ttl_seconds: c.codeTtlSeconds,
    rate_limit_per_minute: c.rateLimitPerMinute,
    lead_business_default: c.leadBusinessDefault,
    quirks: c.quirks,
    invoice_prefix: c.invoicePrefix,
    credit_note_prefix: c.creditNotePrefix,
    clients: c.clients.map((x) => ({ id: x.id, redirect_hosts: x.redirect_hosts })),
    businesses: BUSINESSES.map((b) => ({ id: b.id, name: b.name, tier: b.tier })),
  };
}

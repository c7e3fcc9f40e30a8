import { z } from "zod";
import type { OAuthClient } from "./config.ts";
import { escapeHtml, type Reply, type Req } from "./http.ts";
import type { Runtime } from "./runtime.ts";
import { BUSINESSES, businessSeed } from "./seed.ts";
import { page } from "./ui/layout.ts";

/**
 * Sage's OAuth surface (sage-api §3.1, decisions D8): authorize + consent page, token endpoint
 * (authorization_code and refresh_token grants, form-encoded), revoke. Token errors are RFC 6749
 * JSON objects, not Sage's error array.
 */

const SCOPES = ["full_access", "readonly"];

function findClient(rt: Runtime, clientId: string | null | undefined): OAuthClient | undefined {
  return rt.config.clients.find((c) => c.id === clientId);
}

function redirectAllowed(client: OAuthClient, redirectUri: string): boolean {
  try {
    const u = new URL(redirectUri);
    return (u.protocol === "http:" || u.protocol === "https:") && client.redirect_hosts.includes(u.hostname);
  } catch {
    return false;
  }
}

const withParams = (uri: string, params: Record<string, string | undefined>): string => {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
};

const errorPage = (message: string): Reply => ({
  status: 400,
  html: page("Sign-in error", `<h1>Sage sign-in error</h1><p class="error">${escapeHtml(message)}</p>`),
});

interface AuthRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
}

/** Validates what identifies the client; failures here must not redirect (open-redirect rule). */
function validateClient(rt: Runtime, params: URLSearchParams): AuthRequest | Reply {
  const client = findClient(rt, params.get("client_id"));
  if (!client) return errorPage("Unknown client_id.");
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!redirectAllowed(client, redirectUri)) return errorPage("redirect_uri is not registered for this client.");
  return { clientId: client.id, redirectUri, scope: params.get("scope") || "full_access", state: params.get("state") ?? undefined };
}

function consentPage(a: AuthRequest, problem?: string): Reply {
  const hidden = Object.entries({ client_id: a.clientId, redirect_uri: a.redirectUri, scope: a.scope, state: a.state ?? "" })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join("");
  const options = BUSINESSES.map(
    (b) => `<label class="choice"><input type="radio" name="business_id" value="${b.id}"> ${escapeHtml(b.name)}</label>`,
  ).join("");
  const body = `<h1>Sage Accounting</h1>
<p><strong>${escapeHtml(a.clientId)}</strong> would like <strong>${escapeHtml(a.scope)}</strong> access to one of your businesses.</p>
${problem ? `<p class="error">${escapeHtml(problem)}</p>` : ""}
<form method="post" action="/oauth2/auth/central/consent">${hidden}
<fieldset><legend>Choose a business</legend>${options}</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`;
  return { status: problem ? 400 : 200, html: page("Authorise access", body) };
}

export function authorize(rt: Runtime, req: Req): Reply {
  const q = req.url.searchParams;
  const a = validateClient(rt, q);
  if ("status" in a) return a;
  const fail = (error: string): Reply => ({ status: 302, location: withParams(a.redirectUri, { error, state: a.state }) });
  if (q.get("response_type") !== "code") return fail("unsupported_response_type");
  if (!SCOPES.includes(a.scope)) return fail("invalid_scope");
  if (q.get("filter") !== "apiv3.1") return errorPage("This emulator serves API v3.1 only: add filter=apiv3.1.");
  return consentPage(a);
}

export async function consent(rt: Runtime, req: Req): Promise<Reply> {
  const form = new URLSearchParams(req.body);
  const a = validateClient(rt, form);
  if ("status" in a) return a;
  if (!SCOPES.includes(a.scope)) return errorPage("Invalid scope.");
  if (form.get("decision") !== "allow") {
    return { status: 302, location: withParams(a.redirectUri, { error: "access_denied", state: a.state }) };
  }
  const chosen = form.getAll("business_id");
  if (chosen.length !== 1 || !businessSeed(chosen[0])) return consentPage(a, "Choose exactly one business.");
  const code = await rt.tokens.issueCode(a.clientId, a.redirectUri, chosen[0], a.scope);
  return { status: 302, location: withParams(a.redirectUri, { code, country: "GB", state: a.state }) };
}

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
const oauthError = (status: number, error: string): Reply => ({ status, json: { error }, headers: NO_STORE });

/** Client credentials from HTTP Basic or the form body (both are accepted by Sage's token endpoint). */
function clientFrom(rt: Runtime, req: Req, form: URLSearchParams): OAuthClient | undefined {
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    id = decodeURIComponent(decoded.slice(0, i));
    secret = decodeURIComponent(decoded.slice(i + 1));
  }
  const client = findClient(rt, id);
  return client && client.secret === secret ? client : undefined;
}

const tokenForm = z.object({
  grant_type: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
});

export async function token(rt: Runtime, req: Req): Promise<Reply> {
  if (!(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    return oauthError(400, "invalid_request");
  }
  const form = new URLSearchParams(req.body);
  const client = clientFrom(rt, req, form);
  if (!client) return oauthError(401, "invalid_client");
  const f = tokenForm.parse(Object.fromEntries(form.entries()));
  const invalidGrant = () => {
    rt.stats.counters.invalid_grant += 1;
    return oauthError(400, "invalid_grant");
  };
  if (f.grant_type === "authorization_code") {
    if (!f.code) return invalidGrant();
    const pair = await rt.tokens.exchangeCode(client.id, f.code, f.redirect_uri);
    if (!pair) return invalidGrant();
    rt.stats.counters.tokens_issued += 1;
    return { status: 200, json: pair, headers: NO_STORE };
  }
  if (f.grant_type === "refresh_token") {
    if (!f.refresh_token) return invalidGrant();
    const pair = await rt.tokens.refresh(client.id, f.refresh_token);
    if (!pair) return invalidGrant();
    rt.stats.counters.refreshes_served += 1;
    return { status: 200, json: pair, headers: NO_STORE };
  }
  // Sage answers a wrong grant_type with invalid_grant too (sage-api §3.1).
  return invalidGrant();
}

export async function revoke(rt: Runtime, req: Req): Promise<Reply> {
  const form = new URLSearchParams(req.body);
  const client = clientFrom(rt, req, form);
  if (!client) return oauthError(401, "invalid_client");
  const t = form.get("token");
  if (!t) return oauthError(400, "invalid_request");
  await rt.tokens.revoke(t);
  rt.stats.counters.revocations += 1;
  return { status: 200, json: {}, headers: NO_STORE };
}

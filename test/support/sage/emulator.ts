import { truncateAll } from "@/test/support/db";
import { after, before, beforeEach } from "node:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { appVault, secretContext } from "@/lib/crypto";
import { db, type Role } from "@/lib/db";
import { chooseSageBusiness } from "@/lib/bindings/sage-business";
import { sageEndpointsForOrigin } from "@/lib/sage/config";
import { completeSageConnect, startSageConnect } from "@/lib/bindings/connect-sage";
import { startSageEmulator, type SageEmulator } from "@/sim/sage/emulator";
import { DEMO_BUSINESS_ID, SECOND_BUSINESS_ID } from "@/sim/sage/seed";

/**
 * Integration-test support for the Ledger side of Sage: the real emulator over HTTP, Ledger's
 * SAGE_* environment pointed at it, tenant/binding fixtures, and a "browser" that submits the
 * emulator's consent form.
 */

export { DEMO_BUSINESS_ID, SECOND_BUSINESS_ID };
export const TEST_CLIENT = { id: "ledger-int-test", secret: "ledger-int-test-secret", redirect_hosts: ["127.0.0.1"] };
export const TEST_REDIRECT_URI = "http://127.0.0.1:3999/api/sage/callback";

/** Access tokens live 60 s here (Sage: 300 s), so custody's safety margin is 15 s. */
export const TEST_ACCESS_TTL_SECONDS = 60;

export async function startEmulator(): Promise<SageEmulator> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL must be set (import @/test/support/env first)");
  const emu = await startSageEmulator({
    databaseUrl,
    port: 0,
    rateLimitPerMinute: 0,
    accessTtlSeconds: TEST_ACCESS_TTL_SECONDS,
    clients: [TEST_CLIENT],
  });
  pointLedgerAt(emu.url);
  return emu;
}

/** Sets the env vars a deployment sets, with every Sage surface at `origin` (the API base may differ). */
export function pointLedgerAt(origin: string, apiOrigin = origin): void {
  const e = sageEndpointsForOrigin(origin, { clientId: TEST_CLIENT.id, clientSecret: TEST_CLIENT.secret, redirectUri: TEST_REDIRECT_URI });
  process.env.SAGE_CLIENT_ID = e.clientId;
  process.env.SAGE_CLIENT_SECRET = e.clientSecret;
  process.env.SAGE_REDIRECT_URI = e.redirectUri;
  process.env.SAGE_OAUTH_AUTHORIZE_URL = e.authorizeUrl;
  process.env.SAGE_OAUTH_TOKEN_URL = e.tokenUrl;
  process.env.SAGE_OAUTH_REVOKE_URL = e.revokeUrl;
  process.env.SAGE_API_BASE_URL = `${apiOrigin}/v3.1`;
}

export type EmuStats = {
  requests: Record<string, number>;
  refreshes_served: number;
  invalid_grant: number;
  revocations: number;
  tokens_issued: number;
};

export async function emuAdmin(emu: SageEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}/_admin${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export const emuStats = async (emu: SageEmulator) => (await emuAdmin(emu, "GET", "/stats")) as EmuStats;
/** Clears stats and faults (not data or tokens). */
export const emuReset = (emu: SageEmulator) => emuAdmin(emu, "POST", "/reset", {});
export const requestCount = (s: EmuStats, key: string) => s.requests[key] ?? 0;

export type Fixture = {
  tenantId: string;
  adminId: string;
  otherAdminId: string;
  viewerId: string;
  bindingId: string;
  magentoConnectionId: string;
};

let seq = 0;
export async function seedBinding(): Promise<Fixture> {
  seq += 1;
  const tenant = await db().tenant.create({ data: { name: `Shop ${seq}` } });
  const user = async (role: Role, name: string) => {
    const u = await db().user.create({ data: { email: `${name}-${seq}-${Date.now()}@example.test`, name } });
    await db().membership.create({ data: { tenantId: tenant.id, userId: u.id, role } });
    return u.id;
  };
  const adminId = await user("admin", "ada");
  const otherAdminId = await user("owner", "bob");
  const viewerId = await user("viewer", "vic");
  const magento = await db().magentoConnection.create({
    data: { tenantId: tenant.id, baseUrl: `https://shop${seq}.example.test`, status: "active" },
  });
  const binding = await db().binding.create({ data: { tenantId: tenant.id, magentoConnectionId: magento.id } });
  return { tenantId: tenant.id, adminId, otherAdminId, viewerId, bindingId: binding.id, magentoConnectionId: magento.id };
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

export type CallbackQuery = { code: string | null; state: string | null; error: string | null; url: URL };

/**
 * What a browser does on Sage's consent page: GET it, fill the form (hidden fields + the chosen
 * business radio + the clicked button), POST it, and read the redirect to our callback.
 */
export async function consentAsBrowser(
  authorizeUrl: string,
  opts: { businessId?: string; decision?: "allow" | "deny" } = {},
): Promise<CallbackQuery> {
  const page = await fetch(authorizeUrl, { redirect: "manual" });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 200)}`);
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error("no consent form on the page");
  const fields = new URLSearchParams();
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(m[1], unescape(m[2]));
  const radios = [...form[2].matchAll(/<input type="radio" name="business_id" value="([^"]+)">/g)].map((m) => m[1]);
  const business = opts.businessId ?? DEMO_BUSINESS_ID;
  if (!radios.includes(business)) throw new Error(`business ${business} is not offered on the consent page`);
  fields.set("business_id", business);
  fields.set("decision", opts.decision ?? "allow");
  const post = await fetch(new URL(unescape(form[1]), authorizeUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
  });
  const location = post.headers.get("location");
  if (post.status !== 302 || !location) throw new Error(`consent submit answered ${post.status}`);
  const url = new URL(location);
  return { code: url.searchParams.get("code"), state: url.searchParams.get("state"), error: url.searchParams.get("error"), url };
}

/**
 * A pass-through proxy in front of the emulator's API whose `GET /v3.1/businesses` lists only what
 * `pick` keeps — the emulated Sage user always has two businesses, real ones often have one.
 */
export async function startBusinessFilterProxy(
  emu: SageEmulator,
  pick: (ids: string[]) => string[],
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "host") headers[k] = v;
      const upstream = await fetch(`${emu.url}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      let text = await upstream.text();
      if (req.method === "GET" && upstream.status === 200 && new URL(req.url ?? "/", emu.url).pathname === "/v3.1/businesses") {
        const body = JSON.parse(text) as { $items: { id: string }[]; $total: number };
        const keep = new Set(pick(body.$items.map((b) => b.id)));
        body.$items = body.$items.filter((b) => keep.has(b.id));
        body.$total = body.$items.length;
        text = JSON.stringify(body);
      }
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The plaintext pair of a stored connection (tests only: the assertions need the real tokens). */
export async function storedTokens(sageConnectionId: string): Promise<{ access: string; refresh: string }> {
  const row = await db().sageConnection.findUniqueOrThrow({ where: { id: sageConnectionId } });
  if (!row.encryptedAccessToken || !row.encryptedRefreshToken) throw new Error("connection holds no tokens");
  const vault = appVault();
  return {
    access: vault.decrypt(row.encryptedAccessToken, secretContext.sageAccessToken(row.id)),
    refresh: vault.decrypt(row.encryptedRefreshToken, secretContext.sageRefreshToken(row.id)),
  };
}

/** Calls the emulator's API directly with a raw token (does Sage accept it?). */
export async function sageAccepts(emu: SageEmulator, accessToken: string, businessId = DEMO_BUSINESS_ID): Promise<number> {
  const res = await fetch(`${emu.url}/v3.1/financial_settings`, {
    headers: { authorization: `Bearer ${accessToken}`, "x-business": businessId },
  });
  await res.text();
  return res.status;
}

/** Tries a refresh token at the emulator's token endpoint; returns the OAuth error or "ok". */
export async function tryRefresh(emu: SageEmulator, refreshToken: string): Promise<string> {
  const res = await fetch(`${emu.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: TEST_CLIENT.id,
      client_secret: TEST_CLIENT.secret,
    }).toString(),
  });
  const body = (await res.json()) as { error?: string };
  return res.status === 200 ? "ok" : (body.error ?? String(res.status));
}

/** The whole Connect Sage flow for `fx`'s binding, through the business picker: returns the connection id. */
export async function connectBinding(fx: Fixture, businessId = DEMO_BUSINESS_ID): Promise<string> {
  const { authorizeUrl } = await startSageConnect({ tenantId: fx.tenantId, userId: fx.adminId, bindingId: fx.bindingId });
  const cb = await consentAsBrowser(authorizeUrl, { businessId });
  const outcome = await completeSageConnect({ state: cb.state, code: cb.code, userId: fx.adminId });
  if (outcome.kind === "connected") return outcome.sageConnectionId;
  const locked = await chooseSageBusiness({ selectionId: outcome.selectionId, businessId, userId: fx.adminId, tenantId: fx.tenantId });
  return locked.sageConnectionId;
}

/**
 * The shared setup of the Sage integration tests: one emulator per file; before each test a clean
 * database, a seeded tenant + binding and (with `connect`) the binding connected through the real
 * OAuth flow, with the emulator's stats cleared afterwards so tests count only their own calls.
 */
export function withLedgerSage(opts: { connect?: boolean } = {}): { emu: SageEmulator; fx: Fixture; connectionId: string } {
  const ctx = {} as { emu: SageEmulator; fx: Fixture; connectionId: string };
  before(async () => {
    ctx.emu = await startEmulator();
  });
  after(async () => {
    await ctx.emu.stop();
    await db().$disconnect();
  });
  beforeEach(async () => {
    await emuReset(ctx.emu);
    await truncateAll();
    ctx.fx = await seedBinding();
    if (opts.connect) {
      ctx.connectionId = await connectBinding(ctx.fx);
      await emuReset(ctx.emu);
    }
  });
  return ctx;
}

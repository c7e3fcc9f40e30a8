import pg from "pg";
import type { Prisma } from "@/src/generated/prisma/client";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { parsePolicy, type PolicyInput } from "@/lib/policy/schema";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { startMagentoSim } from "@/sim/magento/server";
import { startSageEmulator } from "@/sim/sage/emulator";
import { signingKeys, pointAppAtExecutor } from "./inngest";
import { startRouteServer, type RouteServer } from "./route-server";
import { assertTestDatabase, truncateAll } from "./db";

/**
 * Test-only: the whole sync pipeline on real HTTP and the test database — the Magento simulator, the
 * Sage emulator, the embedded Inngest executor, and Ledger's real route handlers (webhook intake, the
 * Magento-facing v1 API and /api/inngest serving the real functions). The workspace is set up through
 * the real flows: pairing against the simulator, OAuth consent against the emulator.
 *
 * The executor runs in signed mode, as in production: /api/inngest answers only calls signed with the
 * test signing key (test/support/inngest.ts).
 *
 * Starting one empties the test database (app tables and the simulators' schemas); stopping it also
 * closes the app's database pool. Import `@/test/support/env` first. Module-level state of the app (the
 * Inngest client reads its environment when constructed, Sage endpoints come from env) forces the
 * dynamic imports below.
 */

export const TEST_SAGE_CLIENT = { id: "ledger-sync-test", secret: "ledger-sync-test-secret", redirect_hosts: ["127.0.0.1"] };

export interface StackOptions {
  policy?: PolicyInput;
  sageRateLimitPerMinute?: number;
  sageAccessTtlSeconds?: number;
}

type Json = Record<string, unknown>;

export interface SyncStack {
  ledgerUrl: string;
  magentoUrl: string;
  sageUrl: string;
  executor: RunningExecutor;
  tenantId: string;
  userId: string;
  bindingId: string;
  magentoConnectionId: string;
  sageConnectionId: string;
  businessId: string;
  refs: { sales: string; purchase: string; cardBank: string; currentBank: string };
  /** POST/GET the simulator's admin API */
  magento(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<Json & Record<string, never>>;
  /** GET the emulator's v3.1 API as the connected business (a fresh token from the admin API) */
  sage(path: string): Promise<Json>;
  sageAdmin(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<unknown>;
  drain(): Promise<void>;
  savePolicy(p: PolicyInput): Promise<void>;
  /** Wait until every run of the binding is settled (or `predicate` holds), draining the outbox meanwhile. */
  settle(opts?: { timeoutMs?: number; expectRuns?: number }): Promise<void>;
  runs(): Promise<Awaited<ReturnType<typeof listRuns>>>;
  mirror(entityType?: string): Promise<Json[]>;
  stop(): Promise<void>;
}

async function json(res: Response, what: string): Promise<Json> {
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as Json) : {};
}

async function freshSchemas(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      "DROP SCHEMA IF EXISTS sage_emu CASCADE; DROP SCHEMA IF EXISTS magento_sim CASCADE; DROP SCHEMA IF EXISTS inngest_local CASCADE",
    );
  } finally {
    await c.end();
  }
}

/** The binding's runs, Magento ids as numbers (stored as bigint: Magento's ids are int unsigned). */
async function listRuns(bindingId: string) {
  const runs = await db().syncRun.findMany({
    where: { bindingId },
    orderBy: { createdAt: "asc" },
    include: { attempts: { orderBy: { number: "asc" } } },
  });
  return runs.map((r) => ({
    ...r,
    magentoEntityId: Number(r.magentoEntityId),
    websiteId: Number(r.websiteId),
    storeId: Number(r.storeId),
  }));
}

export async function startSyncStack(opts: StackOptions = {}): Promise<SyncStack> {
  const databaseUrl = assertTestDatabase(process.env.DATABASE_URL);
  await truncateAll(databaseUrl);
  await freshSchemas(databaseUrl);
  process.env.LEDGER_SYNC_RETRIES ??= "5";

  const sage = await startSageEmulator({
    databaseUrl,
    port: 0,
    rateLimitPerMinute: opts.sageRateLimitPerMinute ?? 0,
    accessTtlSeconds: opts.sageAccessTtlSeconds ?? 300,
    clients: [TEST_SAGE_CLIENT],
  });
  const magentoSim = await startMagentoSim({ databaseUrl, port: 0, storeKey: `t${Date.now()}`, drainSeconds: 0 });
  const executor = await startExecutor({
    databaseUrl,
    port: 0,
    workers: 4,
    pollMs: 50,
    retryBaseMs: 200,
    syncIntervalMs: 0,
    ...signingKeys(),
  });

  // Server-side env of the app under test.
  await pointAppAtExecutor(executor.url);
  const { sageEndpointsForOrigin } = await import("@/lib/sage/config");
  const ledgerPlaceholder = "http://127.0.0.1:1/api/sage/callback"; // replaced below once the port is known
  const setSageEnv = (redirectUri: string) => {
    const e = sageEndpointsForOrigin(sage.url, { clientId: TEST_SAGE_CLIENT.id, clientSecret: TEST_SAGE_CLIENT.secret, redirectUri });
    Object.assign(process.env, {
      SAGE_CLIENT_ID: e.clientId,
      SAGE_CLIENT_SECRET: e.clientSecret,
      SAGE_REDIRECT_URI: e.redirectUri,
      SAGE_OAUTH_AUTHORIZE_URL: e.authorizeUrl,
      SAGE_OAUTH_TOKEN_URL: e.tokenUrl,
      SAGE_OAUTH_REVOKE_URL: e.revokeUrl,
      SAGE_API_BASE_URL: `${sage.url}/v3.1`,
    });
  };
  setSageEnv(ledgerPlaceholder);

  const [webhook, health, status, disconnect, inngestRoute] = await Promise.all([
    import("@/app/webhooks/magento/[connectionId]/[event]/route"),
    import("@/app/v1/tile/health/route"),
    import("@/app/v1/status/route"),
    import("@/app/v1/tenant/disconnect/route"),
    import("@/app/api/inngest/route"),
  ]);
  const server: RouteServer = await startRouteServer([
    { pattern: "/webhooks/magento/[connectionId]/[event]", module: webhook },
    { pattern: "/v1/tile/health", module: health },
    { pattern: "/v1/status", module: status },
    { pattern: "/v1/tenant/disconnect", module: disconnect },
    { pattern: "/api/inngest", module: inngestRoute },
  ]);
  setSageEnv(`${server.url}/api/sage/callback`);
  const [synced] = await executor.sync(`${server.url}/api/inngest`);
  if (!synced.ok) throw new Error(`executor could not sync Ledger's functions: ${synced.message}`);

  // The workspace, through the real flows.
  const user = await db().user.create({
    data: { email: `owner-${Date.now()}@sync.test`, name: "Sync Owner", passwordHash: await hashPassword("sync-owner-password") },
  });
  const tenant = await db().tenant.create({ data: { name: "Sync Test Shop", planTier: "scale" } });
  await db().membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });

  const magento = async (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) =>
    json(
      await fetch(`${magentoSim.url}/admin/api/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      `magento ${method} ${path}`,
    ) as Promise<Json & Record<string, never>>;

  const { code } = (await magento("POST", "pairing-code")) as unknown as { code: string };
  const { connectMagento } = await import("@/lib/bindings/connect-magento");
  const paired = await connectMagento(
    { tenantId: tenant.id, userId: user.id, magentoBaseUrl: magentoSim.url, pairingCode: code },
    { ledgerBaseUrl: server.url, allowPrivate: true },
  );
  if (!paired.ok) throw new Error(`pairing failed: ${paired.reason} ${paired.message}`);

  const { startSageConnect, completeSageConnect } = await import("@/lib/bindings/connect-sage");
  const { chooseSageBusiness } = await import("@/lib/bindings/sage-business");
  const { consentAsBrowser, DEMO_BUSINESS_ID } = await import("@/test/support/sage/emulator");
  const { authorizeUrl } = await startSageConnect({ tenantId: tenant.id, userId: user.id, bindingId: paired.bindingId });
  const cb = await consentAsBrowser(authorizeUrl, { businessId: DEMO_BUSINESS_ID });
  const outcome = await completeSageConnect({ state: cb.state, code: cb.code, userId: user.id });
  const sageConnectionId =
    outcome.kind === "connected"
      ? outcome.sageConnectionId
      : (await chooseSageBusiness({ selectionId: outcome.selectionId, businessId: DEMO_BUSINESS_ID, userId: user.id, tenantId: tenant.id }))
          .sageConnectionId;

  const { getReferenceData } = await import("@/lib/sage/reference-data");
  const ref = await getReferenceData(paired.bindingId);
  const byCode = <T extends { nominalCode: number | null; id: string }>(items: T[], code: number) => {
    const hit = items.find((i) => i.nominalCode === code);
    if (!hit) throw new Error(`reference data has no nominal code ${code}`);
    return hit.id;
  };
  const refs = {
    sales: byCode(ref.items.sales_ledger_accounts, 4000),
    purchase: byCode(ref.items.expense_ledger_accounts, 5000),
    cardBank: byCode(ref.items.bank_accounts, 1240),
    currentBank: byCode(ref.items.bank_accounts, 1200),
  };

  let policyVersion = 1;
  const savePolicy = async (p: PolicyInput) => {
    policyVersion += 1;
    const settings = parsePolicy({ default_ledger_account_id: refs.sales, default_tax_rate_id: "GB_STANDARD", ...p });
    await db().syncPolicy.create({
      data: {
        bindingId: paired.bindingId,
        version: policyVersion,
        settings: settings as unknown as Prisma.InputJsonValue,
        savedById: user.id,
      },
    });
  };
  await savePolicy(opts.policy ?? {});

  const sageToken = async () => {
    const t = (await json(
      await fetch(`${sage.url}/_admin/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: TEST_SAGE_CLIENT.id }),
      }),
      "emulator token",
    )) as { access_token: string };
    return t.access_token;
  };

  const stack: SyncStack = {
    ledgerUrl: server.url,
    magentoUrl: magentoSim.url,
    sageUrl: sage.url,
    executor,
    tenantId: tenant.id,
    userId: user.id,
    bindingId: paired.bindingId,
    magentoConnectionId: paired.connectionId,
    sageConnectionId,
    businessId: DEMO_BUSINESS_ID,
    refs,
    magento,
    async sage(path) {
      const res = await fetch(`${sage.url}/v3.1${path}`, {
        headers: { authorization: `Bearer ${await sageToken()}`, "x-business": DEMO_BUSINESS_ID, accept: "application/json" },
      });
      return json(res, `sage GET ${path}`);
    },
    async sageAdmin(method, path, body) {
      return json(
        await fetch(`${sage.url}/_admin${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        `sage admin ${path}`,
      );
    },
    async drain() {
      await magentoSim.drainNow();
    },
    savePolicy,
    async settle({ timeoutMs = 60_000, expectRuns } = {}) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await magentoSim.drainNow();
        const runs = await db().syncRun.findMany({
          where: { bindingId: paired.bindingId },
          select: { status: true, syncStatePushedAt: true, finishedAt: true },
        });
        const live = runs.filter((r) => ["queued", "running", "waiting"].includes(r.status));
        const unpushed = runs.filter((r) => r.finishedAt && (!r.syncStatePushedAt || r.syncStatePushedAt < r.finishedAt));
        const enough = expectRuns === undefined || runs.length >= expectRuns;
        if (enough && live.length === 0 && unpushed.length === 0) {
          const outbox = (await magento("GET", "outbox?status=pending")) as unknown as { rows?: unknown[] } | unknown[];
          const pending = Array.isArray(outbox) ? outbox.length : (outbox.rows?.length ?? 0);
          if (pending === 0) return;
        }
        if (Date.now() > until) throw new Error(`pipeline did not settle: ${JSON.stringify(runs.map((r) => r.status))}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    runs: () => listRuns(paired.bindingId),
    async mirror(entityType) {
      const out = (await magento("GET", `mirror${entityType ? `?entity_type=${entityType}` : ""}`)) as unknown as
        { rows?: Json[] } | Json[];
      return Array.isArray(out) ? out : (out.rows ?? []);
    },
    async stop() {
      await server.close();
      await executor.stop();
      await magentoSim.stop();
      await sage.stop();
      await db().$disconnect();
    },
  };
  return stack;
}

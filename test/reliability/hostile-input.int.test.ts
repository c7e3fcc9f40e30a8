import "@/test/support/env";
import "./support/als";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { truncateAll } from "@/test/support/db";
import { pointAppAtExecutor, signingKeys } from "@/test/support/inngest";
import { startRouteServer, type RouteServer } from "@/test/support/route-server";
import { startSyncStack, type SyncStack } from "@/test/support/sync-stack";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { magentoToken, seedStore, type SeededStore } from "@/test/support/builders/stores";
import { scoped, sessionCookie } from "./support/next-request";
import { diff, snapshot } from "./support/snapshot";

/**
 * Hostile input beyond the webhook (lib/intake/intake-rejections.int.test.ts covers that): the v1
 * routes, the Sage OAuth callback, Auth.js's routes, and over-long or wrong-type input to the domain
 * functions behind the dashboard's forms and actions. Each is refused with the right status or field
 * errors, and nothing is stored. Then edge inputs at intake (issue 12 #6): Magento's `int unsigned` ids
 * up to 4 294 967 295, NUL bytes in a webhook body and in a fetched entity, and a database error —
 * never a 500, never a lost document.
 */

let server: RouteServer;
let a: SeededStore;
let b: SeededStore;
let cookie: string;
/** The event sink for webhooks (no functions registered: runs stay queued). */
let executor: RunningExecutor | undefined;
const HUGE = "x".repeat(300_000);
const LONG = "y".repeat(5_000);

before(async () => {
  await truncateAll();
  process.env.LEDGER_BASE_URL = "http://127.0.0.1:3000";
  executor = await startExecutor({
    databaseUrl: process.env.DATABASE_URL!,
    port: 0,
    workers: 1,
    pollMs: 200,
    syncIntervalMs: 0,
    ...signingKeys(),
  });
  await pointAppAtExecutor(executor.url);
  a = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  b = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  await db().syncRun.create({
    data: {
      tenantId: b.tenantId,
      bindingId: b.bindingIds[0],
      event: "invoice.created",
      entityType: "invoice",
      magentoEntityId: 7,
      idempotencyKey: "invoice.created:7",
      status: "failed",
      provider: "sage_accounting",
      policyVersion: 1,
      policySnapshot: {},
    },
  });
  cookie = await sessionCookie(a.userId);
  const [status, health, disconnect, callback, nextauth, webhook, runs, runDetail] = await Promise.all([
    import("@/app/v1/status/route"),
    import("@/app/v1/tile/health/route"),
    import("@/app/v1/tenant/disconnect/route"),
    import("@/app/api/sage/callback/route"),
    import("@/app/api/auth/[...nextauth]/route"),
    import("@/app/webhooks/magento/[connectionId]/[event]/route"),
    import("@/app/api/tenants/[tenantId]/runs/route"),
    import("@/app/api/tenants/[tenantId]/runs/[runId]/route"),
  ]);
  server = await startRouteServer([
    { pattern: "/v1/status", module: status },
    { pattern: "/v1/tile/health", module: health },
    { pattern: "/v1/tenant/disconnect", module: disconnect },
    { pattern: "/api/sage/callback", module: scoped(callback) },
    { pattern: "/api/auth/[...nextauth]", module: scoped(nextauth) },
    { pattern: "/webhooks/magento/[connectionId]/[event]", module: webhook },
    { pattern: "/api/tenants/[tenantId]/runs", module: scoped(runs) },
    { pattern: "/api/tenants/[tenantId]/runs/[runId]", module: scoped(runDetail) },
  ]);
});
after(async () => {
  await server?.close();
  await executor?.stop();
  await db().$disconnect();
});

interface HttpCase {
  name: string;
  method?: "GET" | "POST";
  path: () => string;
  headers?: () => Record<string, string>;
  body?: () => string;
  /** Accepted statuses; for redirects, what the Location must match. */
  status: number[];
  location?: RegExp;
  bodyMatch?: RegExp;
  /** A known gap, reported as a node:test TODO until the domain code is fixed (it still runs). */
  todo?: string;
}

const bearer = (t: string) => () => ({ authorization: `Bearer ${t}` });
const valid = () => magentoToken(a.apiKey, a.connectionId);
const forged = () => magentoToken("byte8_lk_not_the_real_key_00000000000000000000000", a.connectionId);

const HTTP_CASES: HttpCase[] = [
  { name: "v1/status without a token", path: () => "/v1/status?entity_type=invoice&entity_id=1", status: [401] },
  {
    name: "v1/status with a forged token",
    path: () => "/v1/status?entity_type=invoice&entity_id=1",
    headers: () => bearer(forged())(),
    status: [401],
  },
  {
    name: "v1/status with an expired token",
    path: () => "/v1/status?entity_type=invoice&entity_id=1",
    headers: () => bearer(magentoToken(a.apiKey, a.connectionId, { nowSeconds: Math.floor(Date.now() / 1000) - 600 }))(),
    status: [401],
  },
  {
    name: "v1/status asking for another store's entity by subject swap",
    path: () => "/v1/status?entity_type=invoice&entity_id=7",
    headers: () => bearer(magentoToken(a.apiKey, b.connectionId))(),
    status: [401],
  },
  {
    name: "v1/status with a non-numeric entity_id",
    path: () => "/v1/status?entity_type=invoice&entity_id=abc",
    headers: () => bearer(valid())(),
    status: [400, 422],
  },
  {
    name: "v1/status with an unknown entity_type",
    path: () => "/v1/status?entity_type=<script>&entity_id=1",
    headers: () => bearer(valid())(),
    status: [400, 422],
  },
  {
    name: "v1/status with a 5 000-character entity_id",
    path: () => `/v1/status?entity_type=invoice&entity_id=${"9".repeat(5000)}`,
    headers: () => bearer(valid())(),
    status: [400, 422],
  },
  { name: "v1/tile/health without a token", path: () => "/v1/tile/health", status: [401] },
  {
    name: "v1/tile/health with alg none",
    path: () => "/v1/tile/health",
    headers: () => bearer(magentoToken(a.apiKey, a.connectionId, { header: { alg: "none", typ: "JWT" }, signature: "" }))(),
    status: [401],
  },
  {
    name: "v1/tile/health with a 5 000-character provider",
    path: () => `/v1/tile/health?provider=${LONG}`,
    headers: () => bearer(valid())(),
    status: [400, 422],
  },
  { name: "v1/tenant/disconnect without a token", method: "POST", path: () => "/v1/tenant/disconnect", body: () => "{}", status: [401] },
  {
    name: "v1/tenant/disconnect with a forged token and a 300 kB body",
    method: "POST",
    path: () => "/v1/tenant/disconnect",
    headers: () => bearer(forged())(),
    body: () => HUGE,
    status: [401, 413],
  },
  {
    name: "sage callback without state",
    path: () => "/api/sage/callback?code=abc",
    headers: () => ({ cookie }),
    status: [302, 303, 307],
    location: /error=state_missing/,
  },
  { name: "sage callback, signed out", path: () => "/api/sage/callback?state=s&code=c", status: [302, 303, 307], location: /sign-in/ },
  {
    name: "sage callback with a forged state",
    path: () => "/api/sage/callback?state=forged-state&code=abc",
    headers: () => ({ cookie }),
    status: [302, 303, 307],
    location: /error=/,
  },
  {
    name: "sage callback with a 5 000-character state",
    path: () => `/api/sage/callback?state=${LONG}&code=abc`,
    headers: () => ({ cookie }),
    status: [302, 303, 307],
    location: /error=/,
  },
  {
    name: "sage callback with error=access_denied",
    path: () => "/api/sage/callback?state=forged&error=access_denied",
    headers: () => ({ cookie }),
    status: [302, 303, 307],
    location: /error=/,
  },
  {
    name: "auth session with a cookie signed by another secret",
    path: () => "/api/auth/session",
    headers: () => ({ cookie: "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..forged.forged.forged" }),
    status: [200],
    bodyMatch: /^null$/,
  },
  {
    name: "auth credentials sign-in without a CSRF token",
    method: "POST",
    path: () => "/api/auth/callback/credentials",
    headers: () => ({ "content-type": "application/x-www-form-urlencoded" }),
    body: () => `email=${encodeURIComponent("owner@example.test")}&password=x`,
    status: [302, 303, 307],
    location: /error=MissingCSRF|csrf=true|error=/i,
  },
  {
    name: "auth credentials sign-in with a 300 kB password",
    method: "POST",
    path: () => "/api/auth/callback/credentials",
    headers: () => ({ "content-type": "application/x-www-form-urlencoded" }),
    body: () => `email=a%40b.test&password=${HUGE}`,
    status: [302, 303, 307, 400, 413],
    location: /error=/i,
  },
  { name: "auth: unknown provider", path: () => "/api/auth/signin/evil-provider", status: [302, 303, 307, 400, 404], location: /error=/i },
];

describe("routes", () => {
  for (const c of HTTP_CASES) {
    test(c.name, { todo: c.todo }, async () => {
      const before = await snapshot();
      const res = await fetch(server.url + c.path(), {
        method: c.method ?? "GET",
        headers: c.headers?.(),
        body: c.body?.(),
        redirect: "manual",
      });
      const text = await res.text();
      assert.ok(c.status.includes(res.status), `status ${res.status}: ${text.slice(0, 300)} ${res.headers.get("location") ?? ""}`);
      if (c.location && res.status >= 300 && res.status < 400) assert.match(res.headers.get("location") ?? "", c.location);
      if (c.bodyMatch) assert.match(text.trim(), c.bodyMatch);
      assert.deepEqual(
        diff(before, await snapshot()).filter((d) => !d.startsWith("seen_jtis")),
        [],
        "nothing stored",
      );
    });
  }
});

type Expect = "fields" | "refused";
interface DomainCase {
  name: string;
  todo?: string;
  expect: Expect;
  run: () => Promise<unknown>;
}

/** Field errors as the domain functions report them: `fields` on a result or on a thrown AppError. */
function fieldsOf(v: unknown): Record<string, unknown> | null {
  const f = v && typeof v === "object" ? (v as { fields?: unknown }).fields : undefined;
  return f && typeof f === "object" && Object.keys(f).length > 0 ? (f as Record<string, unknown>) : null;
}
function refusedValue(v: unknown): boolean {
  if (v === null || v === false) return true;
  if (typeof v === "object" && v && ((v as { ok?: unknown }).ok === false || (v as { kind?: unknown }).kind === "error")) return true;
  return false;
}

const DOMAIN_CASES: DomainCase[] = [
  {
    name: "savePolicy: 5 000-character invoice prefix",
    expect: "fields",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: a.bindingIds[0],
        actorUserId: a.userId,
        settings: { invoice_number_prefix: LONG },
      }),
  },
  {
    name: "savePolicy: boolean setting sent as a string",
    expect: "fields",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: a.bindingIds[0],
        actorUserId: a.userId,
        settings: { sync_products: "yes" },
      }),
  },
  {
    name: "savePolicy: settings not an object",
    expect: "fields",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: a.bindingIds[0],
        actorUserId: a.userId,
        settings: [1, 2, 3],
      }),
  },
  {
    name: "savePolicy: a 300 kB payment-method map key",
    expect: "fields",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: a.bindingIds[0],
        actorUserId: a.userId,
        settings: { payment_method_map: { [HUGE]: null } },
      }),
  },
  {
    name: "savePolicy: another tenant's binding",
    expect: "refused",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: b.bindingIds[0],
        actorUserId: a.userId,
        settings: { sync_products: true },
      }),
  },
  {
    name: "savePolicy: binding id that is not a uuid",
    expect: "refused",
    run: async () =>
      (await import("@/lib/policy/save")).savePolicy({
        tenantId: a.tenantId,
        bindingId: "'; DROP TABLE bindings; --",
        actorUserId: a.userId,
        settings: {},
      }),
  },
  {
    name: "validatePolicy: negative and non-numeric thresholds",
    expect: "fields",
    run: async () =>
      (await import("@/lib/policy/validate")).validatePolicy(
        { b2c_consolidation: { enabled: true, min_total_for_individual: "lots" } },
        { reference: null, paymentMethodCodes: null, planTier: "scale" },
      ),
  },
  {
    name: "connectMagento: 5 000-character base URL",
    expect: "fields",
    run: async () =>
      (await import("@/lib/bindings/connect-magento")).connectMagento({
        tenantId: a.tenantId,
        userId: a.userId,
        magentoBaseUrl: `https://${LONG}.test`,
        pairingCode: "0".repeat(32),
      }),
  },
  {
    name: "connectMagento: javascript: URL",
    expect: "fields",
    run: async () =>
      (await import("@/lib/bindings/connect-magento")).connectMagento({
        tenantId: a.tenantId,
        userId: a.userId,
        magentoBaseUrl: "javascript:alert(1)",
        pairingCode: "0".repeat(32),
      }),
  },
  {
    name: "connectMagento: pairing code of the wrong shape",
    expect: "fields",
    run: async () =>
      (await import("@/lib/bindings/connect-magento")).connectMagento({
        tenantId: a.tenantId,
        userId: a.userId,
        magentoBaseUrl: "https://shop.example.test",
        pairingCode: "<img src=x>",
      }),
  },
  {
    name: "connectMagento: pairing code as a number",
    expect: "fields",
    run: async () =>
      (await import("@/lib/bindings/connect-magento")).connectMagento({
        tenantId: a.tenantId,
        userId: a.userId,
        magentoBaseUrl: "https://shop.example.test",
        pairingCode: 12345 as unknown as string,
      }),
  },
  {
    name: "startSageConnect: another tenant's binding",
    expect: "refused",
    run: async () =>
      (await import("@/lib/bindings/connect-sage")).startSageConnect({
        tenantId: a.tenantId,
        userId: a.userId,
        bindingId: b.bindingIds[0],
      }),
  },
  {
    name: "startSageConnect: 5 000-character binding id",
    expect: "refused",
    run: async () =>
      (await import("@/lib/bindings/connect-sage")).startSageConnect({ tenantId: a.tenantId, userId: a.userId, bindingId: LONG }),
  },
  {
    name: "completeSageConnect: forged state",
    expect: "refused",
    run: async () => (await import("@/lib/bindings/connect-sage")).completeSageConnect({ state: LONG, code: "c", userId: a.userId }),
  },
  {
    name: "retryRun: another tenant's run",
    expect: "refused",
    run: async () =>
      (await import("@/lib/sync/retry")).retryRun({
        tenantId: a.tenantId,
        runId: (await db().syncRun.findFirstOrThrow({ where: { tenantId: b.tenantId } })).id,
        actorUserId: a.userId,
      }),
  },
  {
    name: "retryRun: run id that is not a uuid",
    expect: "refused",
    run: async () => (await import("@/lib/sync/retry")).retryRun({ tenantId: a.tenantId, runId: LONG, actorUserId: a.userId }),
  },
  {
    name: "createInvitation: 5 000-character email",
    expect: "fields",
    run: async () =>
      (await import("@/lib/members/invitations")).createInvitation({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        email: `${LONG}@example.test`,
        role: "viewer",
      }),
  },
  {
    name: "createInvitation: email with a header injection",
    expect: "fields",
    run: async () =>
      (await import("@/lib/members/invitations")).createInvitation({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        email: "a@b.test\r\nBcc: all@evil.test",
        role: "viewer",
      }),
  },
  {
    name: "createInvitation: a role that does not exist",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/invitations")).createInvitation({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        email: "ok@example.test",
        role: "superuser" as never,
      }),
  },
  {
    name: "createInvitation: into another tenant",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/invitations")).createInvitation({
        tenantId: b.tenantId,
        actorUserId: a.userId,
        email: "mole@example.test",
        role: "owner",
      }),
  },
  {
    name: "acceptInvitation: forged 5 000-character token",
    expect: "refused",
    run: async () => (await import("@/lib/members/invitations")).acceptInvitation({ token: LONG, userId: a.userId }),
  },
  {
    name: "changeMemberRole: another tenant's membership",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/members")).changeMemberRole({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        membershipId: (await db().membership.findFirstOrThrow({ where: { tenantId: b.tenantId } })).id,
        role: "viewer",
      }),
  },
  {
    name: "changeMemberRole: a role that does not exist",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/members")).changeMemberRole({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        membershipId: (await db().membership.findFirstOrThrow({ where: { tenantId: a.tenantId } })).id,
        role: "god" as never,
      }),
  },
  {
    name: "removeMember: another tenant's membership",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/members")).removeMember({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        membershipId: (await db().membership.findFirstOrThrow({ where: { tenantId: b.tenantId } })).id,
      }),
  },
  {
    name: "revokeInvitation: id that is not a uuid",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/invitations")).revokeInvitation({
        tenantId: a.tenantId,
        actorUserId: a.userId,
        invitationId: "1 OR 1=1",
      }),
  },
  {
    name: "disconnectBinding: another tenant's binding",
    expect: "refused",
    run: async () =>
      (await import("@/lib/bindings/disconnect")).disconnectBinding({
        tenantId: a.tenantId,
        bindingId: b.bindingIds[0],
        actorUserId: a.userId,
      }),
  },
  {
    name: "getBindingDetail: another tenant's binding",
    expect: "refused",
    run: async () => (await import("@/lib/bindings/detail")).getBindingDetail(a.tenantId, b.bindingIds[0]),
  },
  {
    name: "findEmbedConnection: SQL-looking id",
    expect: "refused",
    run: async () => (await import("@/lib/bindings/embed")).findEmbedConnection("' OR '1'='1"),
  },
  {
    name: "embedSignIn: another tenant's store with valid-looking credentials",
    expect: "refused",
    run: async () =>
      (await import("@/lib/members/embed-session")).embedSignIn({
        connection: { id: b.connectionId, tenantId: b.tenantId },
        email: "owner@example.test",
        password: LONG,
      }),
  },
];

describe("domain functions behind forms and actions", () => {
  for (const c of DOMAIN_CASES) {
    test(c.name, { todo: c.todo }, async () => {
      const before = await snapshot();
      let value: unknown;
      let thrown: unknown;
      try {
        value = await c.run();
      } catch (e) {
        thrown = e;
      }
      if (thrown !== undefined)
        assert.ok(
          isAppError(thrown) ||
            ["SageConnectError", "ZodError"].includes((thrown as Error).name) ||
            (thrown as { code?: string }).code !== undefined,
          `an unexpected crash: ${String(thrown)}`,
        );
      if (c.expect === "fields") {
        const fields =
          fieldsOf(thrown ?? value) ??
          (value && typeof value === "object" && "errors" in value ? fieldsOf({ fields: (value as { errors: unknown }).errors }) : null);
        assert.ok(fields, `field errors expected, got ${JSON.stringify(value ?? String(thrown)).slice(0, 300)}`);
      } else {
        assert.ok(thrown !== undefined || refusedValue(value), `refusal expected, got ${JSON.stringify(value)?.slice(0, 300)}`);
      }
      assert.deepEqual(diff(before, await snapshot()), [], "nothing stored");
    });
  }
});

test("the suite is wide enough", () => {
  assert.ok(HTTP_CASES.length + DOMAIN_CASES.length >= 30);
});

describe("issue 12 #6: edge inputs at intake", () => {
  const UINT_MAX = 4_294_967_295;
  const deliver = (event: string, body: string, key: string) =>
    fetch(`${server.url}/webhooks/magento/${a.connectionId}/${event}`, {
      method: "POST",
      headers: { authorization: `Bearer ${valid()}`, "idempotency-key": key, "content-type": "application/json" },
      body,
    });

  test("entity, store and website ids up to 4 294 967 295 (int unsigned) are accepted, stored and shown", async () => {
    const res = await deliver(
      "invoice.created",
      JSON.stringify({ magento_entity_id: UINT_MAX, website_id: UINT_MAX, store_id: UINT_MAX, payload: { increment_id: "400000001" } }),
      `invoice.created:${UINT_MAX}`,
    );
    const text = await res.text();
    assert.equal(res.status, 202, text);
    const runId = (JSON.parse(text) as { sync_run_id: string }).sync_run_id;
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    assert.deepEqual([run.magentoEntityId, run.websiteId, run.storeId], [BigInt(UINT_MAX), BigInt(UINT_MAX), BigInt(UINT_MAX)]);
    assert.equal(run.status, "queued", "dispatched to the engine");

    // Everything that reads it back answers, with the id as a number.
    const list = await fetch(`${server.url}/api/tenants/${a.tenantId}/runs?entity=${UINT_MAX}`, { headers: { cookie } });
    const listed = (await list.json()) as { data: { id: string; magentoEntityId: number }[] };
    assert.equal(list.status, 200);
    assert.deepEqual(
      listed.data.map((r) => [r.id, r.magentoEntityId]),
      [[runId, UINT_MAX]],
    );
    const detail = await fetch(`${server.url}/api/tenants/${a.tenantId}/runs/${runId}`, { headers: { cookie } });
    assert.equal(detail.status, 200);
    assert.equal(((await detail.json()) as { data: { magentoEntityId: number } }).data.magentoEntityId, UINT_MAX);
    const status = await fetch(`${server.url}/v1/status?entity_type=invoice&entity_id=${UINT_MAX}`, { headers: bearer(valid())() });
    assert.equal(status.status, 200);
    assert.equal(((await status.json()) as { magento_entity_id: number }).magento_entity_id, UINT_MAX);
  });

  test("an id beyond int unsigned is refused as an invalid body (422), never a 500, and nothing is stored", async () => {
    const before = await snapshot();
    const res = await deliver(
      "invoice.created",
      JSON.stringify({ magento_entity_id: UINT_MAX + 1, payload: {} }),
      "invoice.created:too-big",
    );
    assert.equal(res.status, 422, await res.text());
    const status = await fetch(`${server.url}/v1/status?entity_type=invoice&entity_id=${UINT_MAX + 1}`, { headers: bearer(valid())() });
    assert.equal(status.status, 400);
    assert.deepEqual(
      diff(before, await snapshot()).filter((d) => !d.startsWith("seen_jtis")),
      [],
      "nothing stored",
    );
  });

  test("NUL bytes in a webhook body (escaped or raw) are replaced and recorded as a warning, never a 500", async () => {
    for (const [key, body] of [
      [
        "invoice.created:nul-escaped",
        JSON.stringify({ magento_entity_id: 501, website_id: 1, store_id: 1, payload: { increment_id: "5000\u00001" } }),
      ],
      ["invoice.created:nul-raw", `{"magento_entity_id":502,"website_id":1,"store_id":1,"payload":{"increment_id":"5000\u0000002"}}`],
    ] as const) {
      const res = await deliver("invoice.created", body, key);
      const text = await res.text();
      assert.equal(res.status, 202, `${key}: ${text}`);
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: (JSON.parse(text) as { sync_run_id: string }).sync_run_id } });
      assert.match(run.magentoIncrementId ?? "", /^5000\uFFFD0*[12]$/, key);
      assert.deepEqual(run.warnings, ["nul_bytes_replaced"], key);
    }
  });

  test("any database error answers 503 (Magento retries), never 500, and stores nothing", async () => {
    // A database that refuses the insert for a reason of its own (here a trigger; in life a constraint,
    // an encoding, a full disk): our problem to fix, so Magento must keep the event and retry.
    await db().$executeRawUnsafe(`CREATE OR REPLACE FUNCTION public.hostile_input_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.idempotency_key = 'invoice.created:refused-by-db' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(
      "CREATE TRIGGER hostile_input_refuse BEFORE INSERT ON sync_runs FOR EACH ROW EXECUTE FUNCTION public.hostile_input_refuse()",
    );
    try {
      const before = await snapshot();
      const res = await deliver("invoice.created", webhookBodyFor(777), "invoice.created:refused-by-db");
      const text = await res.text();
      assert.equal(res.status, 503, text);
      assert.equal(res.headers.get("retry-after"), "30");
      assert.equal((JSON.parse(text) as { error: string }).error, "service_unavailable");
      assert.ok(!text.includes("refused by the test"), "the database's message is not echoed");
      assert.deepEqual(diff(before, await snapshot()), [], "the whole delivery rolled back");
    } finally {
      await db().$executeRawUnsafe("DROP TRIGGER IF EXISTS hostile_input_refuse ON sync_runs");
      await db().$executeRawUnsafe("DROP FUNCTION IF EXISTS public.hostile_input_refuse()");
    }
  });
});

const webhookBodyFor = (id: number) =>
  JSON.stringify({ magento_entity_id: id, website_id: 1, store_id: 1, payload: { increment_id: String(id).padStart(9, "0") } });

describe("issue 12 #6: a NUL byte in a fetched Magento entity", () => {
  let s: SyncStack;
  before(async () => {
    await server?.close();
    await executor?.stop();
    executor = undefined;
    s = await startSyncStack();
    await s.magento("POST", "products", { sku: "NUL-1", name: "Null lamp", type_id: "simple", price: 50, tax_class_id: 2 });
    await s.settle();
  });
  after(async () => {
    await s?.stop();
  });

  test("is replaced, recorded as a warning, and the invoice still reaches Sage with Magento's totals", async () => {
    const { invoice } = (await s.magento("POST", "orders", {
      guest: { email: "nul@example.com", firstname: "Zoe", lastname: "Null" },
      lines: [{ sku: "NUL-1", qty: 2, tax_percent: 20 }],
      payment_method: "checkmo",
      invoice_state: "open",
    })) as unknown as {
      invoice: { entity_id: number; increment_id: string };
    };
    // What MySQL holds and PostgreSQL cannot: NUL in the customer's name, as Magento serialises it.
    await s.magento("POST", "rest-patches", {
      path: `byte8/invoice/${invoice.entity_id}`,
      patch: { customer: { first_name: "Zo\u0000e", last_name: "Nu\u0000ll" } },
    });
    await s.settle();
    const run = (await s.runs()).find((r) => r.event === "invoice.created" && r.magentoEntityId === invoice.entity_id)!;
    assert.equal(run.status, "succeeded", `${run.errorClass} ${run.errorMessage}`);
    assert.deepEqual(run.warnings, ["nul_bytes_replaced"]);
    assert.match(JSON.stringify(run.entitySummary), /Zo\uFFFDe/);
    const doc = await s.sage(`/sales_invoices/${run.providerEntityId}`);
    assert.equal(Number(doc.total_amount), 120, "Magento's grand total (2 × £50 + 20 % VAT)");
    assert.equal((await s.mirror("invoice")).find((m) => Number(m.magento_id) === invoice.entity_id)?.sync_status, "synced");
    await s.magento("DELETE", "rest-patches");
  });
});

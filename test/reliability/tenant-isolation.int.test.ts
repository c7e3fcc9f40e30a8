import "@/test/support/env";
import "./support/als";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { db } from "@/lib/db";
import { truncateAll } from "@/test/support/db";
import { startRouteServer, type RouteServer, type RouteSpec } from "@/test/support/route-server";
import { actionRequest, inRequestScope, scoped, sessionCookie } from "./support/next-request";
import { diff, snapshot, type Snapshot } from "./support/snapshot";

/**
 * Tenant isolation: a signed-in owner of tenant A calls every API route and every server action with
 * tenant B's ids. Nothing of B may be revealed or changed. Route files and "use server" files are
 * enumerated from the source tree: a new one without a case here fails the suite.
 */

const root = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(path.relative(root, p));
  }
  return out.sort();
}
const routeFiles = walk(path.join(root, "app"), (f) => f.endsWith(`${path.sep}route.ts`));
const actionFiles = ["app", "lib", "components"].flatMap((d) =>
  walk(path.join(root, d), (f) => /\.tsx?$/.test(f) && !f.includes(".test.") && /^\s*["']use server["']/.test(readFileSync(f, "utf8"))),
);

/** Machine-facing routes, authenticated otherwise (JWT of the Magento install, Inngest signing, Auth.js itself). */
const MACHINE_ROUTES: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "Auth.js sign-in/out endpoints; no tenant data",
  "app/api/health/route.ts": "liveness for load balancers; no I/O, no tenant data (lib/readiness tests)",
  "app/api/ready/route.ts": "readiness for load balancers; check statuses only, no tenant data (lib/readiness tests)",
  "app/api/inngest/route.ts": "Inngest SDK endpoint; signed by the executor/Inngest",
  "app/v1/status/route.ts": "Magento JWT; tenant = token subject (lib/magento tests)",
  "app/v1/tenant/disconnect/route.ts": "Magento JWT; tenant = token subject",
  "app/v1/tile/health/route.ts": "Magento JWT; tenant = token subject",
  "app/webhooks/magento/[connectionId]/[event]/route.ts": "Magento JWT bound to the path tenant (intake-rejections suite)",
};
/** Actions that take no tenant-scoped id at all (sign-in/up/out). */
const NON_TENANT_ACTIONS: Record<string, string> = {
  "app/(auth)/actions.ts#signInAction": "credentials only",
  "app/(auth)/actions.ts#signUpAction": "creates a new workspace",
  "app/(auth)/actions.ts#signOutAction": "ends the caller's own session",
  "app/invite/[token]/actions.ts#switchAccountAction": "signs the caller out",
  "app/embed/[connectionId]/actions.ts#embedSignOutAction": "clears the caller's own embed cookie",
};

interface World {
  a: { tenantId: string; userId: string; email: string; runId: string; cookie: string };
  b: {
    tenantId: string;
    userId: string;
    memberId: string;
    membershipId: string;
    connectionId: string;
    bindingId: string;
    runId: string;
    bulkRetryId: string;
    reconciliationId: string;
    invitationId: string;
    sageState: string;
    name: string;
  };
}
let w: World;
const ATTACKER_PASSWORD = "attacker-password-0123";
let server: RouteServer;

before(async () => {
  await truncateAll();
  Object.assign(process.env, {
    INNGEST_BASE_URL: "http://127.0.0.1:9",
    LEDGER_BASE_URL: "http://127.0.0.1:3000",
    SAGE_CLIENT_ID: "iso-client",
    SAGE_CLIENT_SECRET: "iso-secret",
    SAGE_REDIRECT_URI: "http://127.0.0.1:3000/api/sage/callback",
    SAGE_OAUTH_AUTHORIZE_URL: "http://127.0.0.1:9/oauth2/auth/central",
    SAGE_OAUTH_TOKEN_URL: "http://127.0.0.1:9/token",
    SAGE_OAUTH_REVOKE_URL: "http://127.0.0.1:9/revoke",
    SAGE_API_BASE_URL: "http://127.0.0.1:9/v3.1",
  });
  const { seedStore, addMember } = await import("@/test/support/builders/stores");
  const { insertRuns } = await import("@/test/support/builders/runs");
  const { createInvitation } = await import("@/lib/members/invitations");
  const { startSageConnect } = await import("@/lib/bindings/connect-sage");

  const victim = await seedStore({ bindings: [{ status: "active", region: "GB" }, { status: "pending_sage" }] });
  const [runId] = await insertRuns(victim.tenantId, [
    { bindingId: victim.bindingIds[0], status: "failed", errorClass: "http", errorMessage: "victim-secret-error" },
  ]);
  const memberId = await addMember(victim.tenantId, "viewer");
  const membership = await db().membership.findFirstOrThrow({ where: { tenantId: victim.tenantId, userId: memberId } });
  const bulk = await db().bulkRetry.create({ data: { tenantId: victim.tenantId, filter: {} } });
  const recon = await db().reconciliation.create({
    data: {
      tenantId: victim.tenantId,
      bindingId: victim.bindingIds[0],
      periodStart: new Date("2026-04-01"),
      periodEnd: new Date("2026-04-30"),
      status: "succeeded",
      rows: {
        create: [
          {
            documentType: "invoice",
            class: "missing_in_sage",
            documentDate: new Date("2026-04-02"),
            currency: "GBP",
            magentoIncrementId: "victim-secret-invoice",
          },
        ],
      },
    },
  });
  await createInvitation({ tenantId: victim.tenantId, actorUserId: victim.userId, email: "invitee@victim.test", role: "operator" });
  const { authorizeUrl } = await startSageConnect({ tenantId: victim.tenantId, userId: victim.userId, bindingId: victim.bindingIds[1] });
  const tenant = await db().tenant.findUniqueOrThrow({ where: { id: victim.tenantId } });
  const { setWebhook } = await import("@/lib/notifications/webhook");
  await setWebhook(victim.tenantId, "http://127.0.0.1:9/victim-hook");

  const attacker = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  const [aRun] = await insertRuns(attacker.tenantId, [{ bindingId: attacker.bindingIds[0], status: "failed", errorClass: "http" }]);
  const { hashPassword } = await import("@/lib/auth/password");
  const attackerUser = await db().user.update({
    where: { id: attacker.userId },
    data: { passwordHash: await hashPassword(ATTACKER_PASSWORD) },
  });
  w = {
    a: {
      tenantId: attacker.tenantId,
      userId: attacker.userId,
      email: attackerUser.email,
      runId: aRun,
      cookie: await sessionCookie(attacker.userId),
    },
    b: {
      tenantId: victim.tenantId,
      userId: victim.userId,
      memberId,
      membershipId: membership.id,
      connectionId: victim.connectionId,
      bindingId: victim.bindingIds[0],
      runId,
      bulkRetryId: bulk.id,
      reconciliationId: recon.id,
      invitationId: (await db().invitation.findFirstOrThrow({ where: { tenantId: victim.tenantId } })).id,
      sageState: new URL(authorizeUrl).searchParams.get("state")!,
      name: tenant.name,
    },
  };

  const routes: RouteSpec[] = [];
  for (const file of routeFiles) {
    if (MACHINE_ROUTES[file]) continue;
    const pattern = `/${path.dirname(file).split(path.sep).slice(1).join("/")}`;
    routes.push({ pattern, module: scoped(await import(pathToFileURL(path.join(root, file)).href)) });
  }
  server = await startRouteServer(routes);
});

after(async () => {
  await server?.close();
  await db().$disconnect();
});

/** Every victim id that must never appear in an answer to the attacker. */
const victimMarkers = () => [
  w.b.runId,
  w.b.bindingId,
  w.b.connectionId,
  w.b.bulkRetryId,
  w.b.reconciliationId,
  w.b.name,
  "victim-secret-error",
  "invitee@victim.test",
  "victim-secret-invoice",
];

interface RouteCase {
  method: "GET" | "POST";
  path: () => string;
  /** Statuses that count as a refusal. */
  refused: number[];
}

const ROUTE_CASES: Record<string, RouteCase[]> = {
  "app/api/tenants/[tenantId]/bindings/route.ts": [{ method: "GET", path: () => `/api/tenants/${w.b.tenantId}/bindings`, refused: [403] }],
  "app/api/tenants/[tenantId]/runs/route.ts": [{ method: "GET", path: () => `/api/tenants/${w.b.tenantId}/runs?counts=1`, refused: [403] }],
  "app/api/tenants/[tenantId]/runs/[runId]/route.ts": [
    { method: "GET", path: () => `/api/tenants/${w.b.tenantId}/runs/${w.b.runId}`, refused: [403] },
    { method: "GET", path: () => `/api/tenants/${w.a.tenantId}/runs/${w.b.runId}`, refused: [404] },
  ],
  "app/api/tenants/[tenantId]/runs/[runId]/retry/route.ts": [
    { method: "POST", path: () => `/api/tenants/${w.b.tenantId}/runs/${w.b.runId}/retry`, refused: [403] },
    { method: "POST", path: () => `/api/tenants/${w.a.tenantId}/runs/${w.b.runId}/retry`, refused: [404] },
  ],
  "app/api/tenants/[tenantId]/runs/bulk-retries/[bulkRetryId]/route.ts": [
    { method: "GET", path: () => `/api/tenants/${w.b.tenantId}/runs/bulk-retries/${w.b.bulkRetryId}`, refused: [403] },
    { method: "GET", path: () => `/api/tenants/${w.a.tenantId}/runs/bulk-retries/${w.b.bulkRetryId}`, refused: [404] },
  ],
  "app/api/tenants/[tenantId]/reconciliations/[reconciliationId]/csv/route.ts": [
    { method: "GET", path: () => `/api/tenants/${w.b.tenantId}/reconciliations/${w.b.reconciliationId}/csv`, refused: [403] },
    { method: "GET", path: () => `/api/tenants/${w.a.tenantId}/reconciliations/${w.b.reconciliationId}/csv`, refused: [404] },
  ],
  // Another user's pending Connect Sage: the state belongs to B's owner.
  "app/api/sage/callback/route.ts": [
    {
      method: "GET",
      path: () => `/api/sage/callback?state=${encodeURIComponent(w.b.sageState)}&code=stolen-code`,
      refused: [302, 303, 307],
    },
  ],
};

async function call(method: string, p: string, cookie: string | null): Promise<{ status: number; text: string; location: string | null }> {
  const res = await fetch(server.url + p, { method, headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
}

async function assertUnchanged(before: Snapshot, what: string): Promise<void> {
  assert.deepEqual(diff(before, await snapshot()), [], `${what} changed the database`);
}

describe("API routes", () => {
  test("every route file is covered or allow-listed as machine-facing", () => {
    assert.ok(routeFiles.length >= 8, `found ${routeFiles.length} route files`);
    const missing = routeFiles.filter((f) => !MACHINE_ROUTES[f] && !ROUTE_CASES[f]);
    assert.deepEqual(missing, [], "routes without a tenant-isolation case");
  });

  test("the session cookie is real: the attacker reads their own tenant", async () => {
    const own = await call("GET", `/api/tenants/${w.a.tenantId}/runs`, w.a.cookie);
    assert.equal(own.status, 200, own.text);
    assert.ok(own.text.includes(w.a.runId));
    assert.equal((await call("GET", `/api/tenants/${w.a.tenantId}/runs`, null)).status, 401, "and nobody else does");
  });

  for (const [file, cases] of Object.entries(ROUTE_CASES)) {
    for (const c of cases) {
      test(`${file}: ${c.method} with another tenant's ids is refused and reveals nothing`, async () => {
        const before = await snapshot();
        const res = await call(c.method, c.path(), w.a.cookie);
        assert.ok(c.refused.includes(res.status), `status ${res.status}: ${res.text.slice(0, 300)}`);
        for (const m of victimMarkers()) assert.ok(!res.text.includes(m) && !(res.location ?? "").includes(m), `answer reveals ${m}`);
        if (res.location) assert.doesNotMatch(res.location, /connected=sage/);
        await assertUnchanged(before, `${c.method} ${file}`);
      });
    }
  }

  test("reconciliation CSV: the member reads their own, nobody signed out does", async () => {
    const own = await db().reconciliation.create({
      data: {
        tenantId: w.a.tenantId,
        bindingId: (await db().binding.findFirstOrThrow({ where: { tenantId: w.a.tenantId } })).id,
        periodStart: new Date("2026-04-01"),
        periodEnd: new Date("2026-04-30"),
        status: "succeeded",
        rows: {
          create: [
            {
              documentType: "invoice",
              class: "amount_differs",
              documentDate: new Date("2026-04-02"),
              currency: "GBP",
              magentoIncrementId: "=HYPERLINK(1)",
              magentoPence: 1000,
              sagePence: 1001,
              differencePence: 1,
            },
          ],
        },
      },
    });
    const p = `/api/tenants/${w.a.tenantId}/reconciliations/${own.id}/csv`;
    const res = await call("GET", p, w.a.cookie);
    assert.equal(res.status, 200, res.text);
    const [head, line] = res.text.trim().split("\r\n");
    assert.match(head, /^date,document_type,magento_increment_id/);
    assert.match(line, /^2026-04-02,invoice,'=HYPERLINK\(1\),,GBP,10\.00,10\.01,0\.01,amount_differs/, "formula cells are defused");
    assert.equal((await call("GET", p, null)).status, 401);
    await db().reconciliation.delete({ where: { id: own.id } });
  });

  test("the attacker's own history never lists the other tenant's runs", async () => {
    const own = await call("GET", `/api/tenants/${w.a.tenantId}/runs?counts=1&q=${w.b.runId}`, w.a.cookie);
    assert.equal(own.status, 200);
    for (const m of victimMarkers()) assert.ok(!own.text.includes(m), `history reveals ${m}`);
  });
});

type Action = (...args: unknown[]) => Promise<unknown>;
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

/** How each action is called with B's ids; the answer must be a refusal (error state, thrown error or redirect). */
const ACTION_CASES: Record<string, () => unknown[]> = {
  "app/dashboard/actions.ts#switchTenantAction": () => [form({ tenantId: w.b.tenantId })],
  "app/dashboard/alerts/actions.ts#savePreferencesAction": () => [null, form({ tenantId: w.b.tenantId, kinds: "run_failed" })],
  "app/dashboard/alerts/actions.ts#setWebhookAction": () => [null, form({ tenantId: w.b.tenantId, url: "http://127.0.0.1:9/hook" })],
  "app/dashboard/alerts/actions.ts#rotateWebhookSecretAction": () => [null, form({ tenantId: w.b.tenantId })],
  "app/dashboard/alerts/actions.ts#removeWebhookAction": () => [null, form({ tenantId: w.b.tenantId })],
  "app/dashboard/alerts/actions.ts#sendTestAlertAction": () => [null, form({ tenantId: w.b.tenantId })],
  "app/dashboard/bindings/[id]/actions.ts#disconnectBindingAction": () => [{}, form({ bindingId: w.b.bindingId })],
  "app/dashboard/bindings/[id]/settings/actions.ts#savePolicyAction": () => [
    { bindingId: w.b.bindingId, baseVersion: 1, settings: { sync_products: true } },
  ],
  "app/dashboard/bindings/[id]/settings/actions.ts#refreshReferenceAction": () => [{ bindingId: w.b.bindingId }],
  "app/dashboard/bindings/[id]/settings/actions.ts#loadPolicyVersionAction": () => [{ bindingId: w.b.bindingId, version: 1 }],
  "app/dashboard/connect-magento/actions.ts#connectMagentoAction": () => [
    {},
    form({ magentoBaseUrl: "https://shop.victim.test", pairingCode: "STOLEN-CODE" }),
  ],
  "app/dashboard/connect-sage/actions.ts#startConnectAction": () => [form({ bindingId: w.b.bindingId })],
  "app/dashboard/connect-sage/actions.ts#chooseBusinessAction": () => [
    form({ selectionId: w.b.bindingId, businessId: "4d1c2a6b8f3e4a0c9b7d5e1f2a3b4c5d" }),
  ],
  "app/dashboard/connect-sage/actions.ts#cancelSelectionAction": () => [form({ selectionId: w.b.bindingId })],
  "app/dashboard/members/actions.ts#changeRoleAction": () => [{}, form({ membershipId: w.b.membershipId, role: "owner" })],
  "app/dashboard/members/actions.ts#removeMemberAction": () => [{}, form({ membershipId: w.b.membershipId })],
  "app/dashboard/members/actions.ts#revokeInvitationAction": () => [{}, form({ invitationId: w.b.invitationId })],
  "app/dashboard/members/actions.ts#inviteAction": () => [{}, form({ email: `not an email ${w.b.tenantId}`, role: "owner" })],
  "app/dashboard/reconciliation/actions.ts#startReconciliationAction": () => [
    null,
    form({ bindingId: w.b.bindingId, start: "2026-04-01", end: "2026-04-30" }),
  ],
  "app/dashboard/sync/actions.ts#retryRunAction": () => [null, form({ runId: w.b.runId })],
  "app/dashboard/sync/actions.ts#startBulkRetryAction": () => [null, form({ filter: `binding=${w.b.bindingId}&status=failed` })],
  // A member of A signing into B's embedded view with their own (valid) credentials.
  "app/embed/[connectionId]/actions.ts#embedSignInAction": () => [
    {},
    form({ connectionId: w.b.connectionId, email: w.a.email, password: ATTACKER_PASSWORD }),
  ],
  "app/invite/[token]/actions.ts#acceptInviteAction": () => [{}, form({ token: `forged-${w.b.invitationId}` })],
  "app/invite/[token]/actions.ts#signUpAndAcceptAction": () => [
    {},
    form({ token: `forged-${w.b.invitationId}`, name: "Mallory", password: "correct horse battery staple" }),
  ],
};

interface Refusal {
  kind: "returned" | "threw";
  detail: string;
}

function isRefusal(value: unknown): boolean {
  if (value === undefined || value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  // The one action result (lib/http/action.ts): a refusal is `{ ok: false, error }`.
  return v.ok === false && typeof v.error === "object";
}

async function runAction(fn: Action, args: unknown[], tenantCookie: string): Promise<Refusal> {
  try {
    const value = await inRequestScope(actionRequest(w.a.cookie, tenantCookie), () => fn(...args));
    return { kind: "returned", detail: JSON.stringify(value) ?? "undefined" };
  } catch (e) {
    const digest = (e as { digest?: string }).digest ?? "";
    return {
      kind: "threw",
      detail: digest.startsWith("NEXT_REDIRECT") ? `redirect ${digest}` : `${(e as Error).name}: ${(e as Error).message}`,
    };
  }
}

describe("server actions", () => {
  test('every exported action of every "use server" file is covered', async () => {
    assert.ok(actionFiles.length >= 5, `found ${actionFiles.length} "use server" files`);
    const missing: string[] = [];
    for (const file of actionFiles) {
      const mod = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const key = `${file}#${name}`;
        if (typeof value === "function" && !ACTION_CASES[key] && !NON_TENANT_ACTIONS[key]) missing.push(key);
      }
    }
    assert.deepEqual(missing, [], "server actions without a tenant-isolation case");
  });

  for (const [key, args] of Object.entries(ACTION_CASES)) {
    const [file, name] = key.split("#");
    for (const tenantCookie of ["own", "victim"] as const) {
      test(`${key} with another tenant's ids (tenant cookie: ${tenantCookie}) is refused and changes nothing`, async (t) => {
        const mod = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, Action>;
        assert.equal(typeof mod[name], "function", `${key} no longer exists`);
        const before = await snapshot();
        const out = await runAction(mod[name], args(), tenantCookie === "own" ? w.a.tenantId : w.b.tenantId);
        t.diagnostic(`${out.kind}: ${out.detail.slice(0, 200)}`);
        const refused =
          out.kind === "threw"
            ? !/connected=sage|disconnected=|\/dashboard\/bindings\/[0-9a-f-]+\?/.test(out.detail)
            : isRefusal(JSON.parse(out.detail === "undefined" ? "null" : out.detail));
        assert.ok(refused, `${key} answered ${out.kind}: ${out.detail.slice(0, 400)}`);
        for (const m of victimMarkers().slice(4)) assert.ok(!out.detail.includes(m), `answer reveals ${m}`);
        await assertUnchanged(before, key);
      });
    }
  }
});

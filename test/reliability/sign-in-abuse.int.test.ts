import "@/test/support/env";
import "./support/als";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NextRequest } from "next/server";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { accountKey, addressKey } from "@/lib/auth/throttle";
import { seedStore, type SeededStore } from "@/test/support/builders/stores";
import { truncateAll } from "@/test/support/db";
import { pointAppAtExecutor, signingKeys } from "@/test/support/inngest";
import { spawnRouteServer, startRouteServer, type ChildRouteServer, type RouteServer } from "@/test/support/route-server";
import { startExecutor, type RunningExecutor } from "@/tools/inngest-local/executor";
import { inRequestScope, scoped, sessionCookie } from "./support/next-request";
import { diff, snapshot } from "./support/snapshot";

/**
 * Issue 12 #5 — sign-in abuse and session hygiene.
 * - Attempts are limited per account and per client address with growing delays, stored in
 *   PostgreSQL (a second app instance — another process — enforces the same limit), on the dashboard
 *   sign-in (the form's server action and Auth.js's own endpoint) and the embedded view's sign-in,
 *   with a "try again in …" message.
 * - New passwords: at least 12 characters, not on the common-password list.
 * - Signing out revokes the session on the server: a copied cookie stops working.
 * - State-changing JSON routes refuse a foreign Origin; every response (error pages too) carries the
 *   anti-framing headers, and HSTS in production.
 */

const PASSWORD = "tidy-harbour-lantern-42";
let server: RouteServer;
let executor: RunningExecutor;
let store: SeededStore;
let email: string;

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
  store = await seedStore({ bindings: [{ status: "active", region: "GB" }] });
  email = (await db().user.update({ where: { id: store.userId }, data: { passwordHash: await hashPassword(PASSWORD) } })).email;
  const [nextauth, retry] = await Promise.all([
    import("@/app/api/auth/[...nextauth]/route"),
    import("@/app/api/tenants/[tenantId]/runs/[runId]/retry/route"),
  ]);
  server = await startRouteServer([
    { pattern: "/api/auth/[...nextauth]", module: scoped(nextauth) },
    { pattern: "/api/tenants/[tenantId]/runs/[runId]/retry", module: scoped(retry) },
  ]);
});
after(async () => {
  await server?.close();
  await executor?.stop();
  await db().$disconnect();
});

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

/** The dashboard's sign-in form, as a browser at `address` submits it. */
async function signInForm(who: string, password: string, address = "203.0.113.7"): Promise<{ error?: string; redirected?: boolean }> {
  const { signInAction } = await import("@/app/(auth)/actions");
  const req = new Request("http://127.0.0.1:3000/sign-in", { method: "POST", headers: { "x-forwarded-for": address } });
  try {
    const r = await inRequestScope(req, () => signInAction(null, form({ email: who, password, callbackUrl: "/dashboard" })));
    return r.ok ? {} : { error: r.error.message };
  } catch (e) {
    if (String((e as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT")) return { redirected: true };
    throw e;
  }
}

/** Auth.js's own endpoint, with its CSRF dance, against `base` (this process or another instance). */
async function signInHttp(
  base: string,
  who: string,
  password: string,
  address = "198.51.100.9",
): Promise<{ status: number; location: string; cookies: string[] }> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar, "x-forwarded-for": address },
    body: new URLSearchParams({ email: who, password, csrfToken, callbackUrl: "/dashboard" }),
  });
  return { status: res.status, location: res.headers.get("location") ?? "", cookies: res.headers.getSetCookie() };
}

const throttle = (key: string) => db().signInThrottle.findUnique({ where: { key } });
const expire = (key: string) => db().signInThrottle.update({ where: { key }, data: { blockedUntil: new Date(Date.now() - 1000) } });
const secondsLeft = (d: Date | null | undefined) => Math.round(((d?.getTime() ?? 0) - Date.now()) / 1000);

describe("attempt limits with growing delays, in PostgreSQL", () => {
  test("per account: after five failures even the right password waits, with a clear message, and the delay grows", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await signInForm(email, `wrong-password-${i}`);
      assert.equal(r.error, "That email and password don't match an account.", `attempt ${i + 1}`);
    }
    const refused = await signInForm(email, PASSWORD);
    assert.match(refused.error ?? "", /^Too many sign-in attempts\. Try again in (30 seconds|29 seconds)\.$/);
    const row = await throttle(accountKey(email));
    assert.equal(row?.failures, 5, "the refused attempt is not counted");
    assert.ok(Math.abs(secondsLeft(row?.blockedUntil) - 30) <= 2);

    // Another app instance (another process, same database) enforces the same limit.
    const other: ChildRouteServer = await spawnRouteServer(
      { "/api/auth/[...nextauth]": "app/api/auth/[...nextauth]/route.ts" },
      { LOG_LEVEL: "silent" },
    );
    try {
      const answer = await signInHttp(other.url, email, PASSWORD);
      assert.equal(answer.status, 302);
      assert.match(answer.location, /error=CredentialsSignin&code=too_many_attempts/);
      assert.ok(!answer.cookies.some((c) => c.startsWith("authjs.session-token=")), "no session");
    } finally {
      await other.stop();
    }

    // Time passes (the delay is moved into the past, never waited out): one more failure doubles it.
    await expire(accountKey(email));
    assert.equal((await signInForm(email, "wrong-again")).error, "That email and password don't match an account.");
    assert.ok(Math.abs(secondsLeft((await throttle(accountKey(email)))?.blockedUntil) - 60) <= 2, "the second delay is twice the first");
    assert.match((await signInForm(email, PASSWORD)).error ?? "", /Try again in 1 minute\./);

    await expire(accountKey(email));
    assert.deepEqual(await signInForm(email, PASSWORD), { redirected: true }, "the right password works once the delay is over");
    assert.equal(await throttle(accountKey(email)), null, "and a success clears the account's count");
  });

  test("per client address, across accounts: a spray of guesses from one address blocks that address only", async () => {
    const sprayer = "192.0.2.66";
    for (let i = 0; i < 20; i++) assert.ok((await signInForm(`nobody${i}@example.test`, "spray-password-000", sprayer)).error);
    assert.match(
      (await signInForm(email, PASSWORD, sprayer)).error ?? "",
      /^Too many sign-in attempts\. Try again in \d+ (seconds|minute)\.$/,
    );
    assert.equal((await throttle(addressKey(sprayer)))?.failures, 20);
    assert.deepEqual(await signInForm(email, PASSWORD, "192.0.2.67"), { redirected: true }, "the account itself is fine from elsewhere");
    // IPv6 clients are limited by their /64.
    assert.ok((await signInForm("v6@example.test", "spray-password-000", "2001:db8:1:2:aaaa::1")).error);
    assert.equal((await throttle("address:2001:db8:1:2::/64"))?.failures, 1);
  });

  test("the embedded view's sign-in has the same limits and says when to try again", async () => {
    const { embedSignInAction } = await import("@/app/embed/[connectionId]/actions");
    const embed = (password: string): Promise<{ error?: string; redirected?: boolean }> =>
      inRequestScope(
        new Request(`http://127.0.0.1:3000/embed/${store.connectionId}`, {
          method: "POST",
          headers: { "x-forwarded-for": "203.0.113.80" },
        }),
        async () => {
          try {
            const r = await embedSignInAction(null, form({ connectionId: store.connectionId, email, password }));
            return r.ok ? {} : { error: r.error.message };
          } catch (e) {
            if (String((e as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT")) return { redirected: true };
            throw e;
          }
        },
      );
    for (let i = 0; i < 5; i++) assert.match((await embed(`nope-${i}`)).error ?? "", /don't match a member/);
    assert.match((await embed(PASSWORD)).error ?? "", /^Too many sign-in attempts\. Try again in (30|29) seconds\.$/);
    await expire(accountKey(email));
    assert.deepEqual(await embed(PASSWORD), { redirected: true });
  });
});

describe("new passwords", () => {
  test("shorter than 12 characters or on the common-password list are refused, at sign-up and when accepting an invitation", async () => {
    const { registerUser } = await import("@/lib/auth/sign-up");
    const { createInvitation, signUpAndAccept } = await import("@/lib/members/invitations");
    const fieldError = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (e) {
        return (e as { fields?: Record<string, { message: string }> }).fields?.password?.message ?? `no password field error: ${String(e)}`;
      }
      return "accepted";
    };
    const signUp = (password: string) => () =>
      registerUser({ name: "Pat", email: `pat-${password.length}-${Math.random()}@example.test`, password, workspace: "Pat's" });
    assert.equal(await fieldError(signUp("eleven-char")), "Use at least 12 characters");
    for (const common of ["qwerty123456", "Password1234!", "iloveyou12345", "1q2w3e4r5t6y"]) {
      assert.match(await fieldError(signUp(common)), /common passwords/, common);
    }
    assert.equal(await fieldError(signUp("correct horse battery staple")), "accepted");

    const before = await db().user.count();
    const inv = await createInvitation({
      tenantId: store.tenantId,
      actorUserId: store.userId,
      email: "invitee@example.test",
      role: "viewer",
    });
    assert.match(await fieldError(() => signUpAndAccept({ token: inv.token, name: "Ivy", password: "football1234" })), /common passwords/);
    assert.equal(await db().user.count(), before, "nobody was created");
  });
});

describe("sessions end on the server", () => {
  test("signing out revokes the session: a copied dashboard cookie stops working", async () => {
    const signedIn = await signInHttp(server.url, email, PASSWORD, "203.0.113.90");
    const session = signedIn.cookies.find((c) => c.startsWith("authjs.session-token="))?.split(";")[0];
    assert.ok(session, `signed in: ${signedIn.location}`);
    const who = async (cookie: string) =>
      (await (await fetch(`${server.url}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } } | null;
    assert.equal((await who(session))?.user?.email, email);
    const copy = session; // what an attacker lifted from the browser

    const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: session } });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = [session, ...csrf.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
    const out = await fetch(`${server.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in" }),
    });
    assert.ok([302, 303].includes(out.status));
    assert.equal(await who(copy), null, "the copied cookie no longer signs anyone in");
  });

  test("the dashboard's sign-out action and the embed's sign-out revoke theirs too", async () => {
    const cookie = await sessionCookie(store.userId);
    const { requireTenantAccess } = await import("@/lib/auth/context");
    const asBrowser = (c: string) => new Request("http://127.0.0.1:3000/dashboard", { method: "POST", headers: { cookie: c } });
    assert.equal((await inRequestScope(asBrowser(cookie), () => requireTenantAccess(store.tenantId))).user.id, store.userId);
    const { signOutAction } = await import("@/app/(auth)/actions");
    await inRequestScope(asBrowser(cookie), () => signOutAction(new FormData())).catch((e: { digest?: string }) =>
      assert.match(String(e.digest), /NEXT_REDIRECT/),
    );
    await assert.rejects(
      inRequestScope(asBrowser(cookie), () => requireTenantAccess(store.tenantId)),
      (e: { code?: string }) => e.code === "unauthenticated",
    );

    const { issueEmbedSession, embedViewer, EMBED_COOKIE } = await import("@/lib/members/embed-session");
    const embedCookie = await issueEmbedSession(store.userId, store.connectionId);
    const connection = { id: store.connectionId, tenantId: store.tenantId };
    assert.equal((await embedViewer(embedCookie, connection))?.userId, store.userId);
    const { embedSignOutAction } = await import("@/app/embed/[connectionId]/actions");
    const embedReq = new Request(`http://127.0.0.1:3000/embed/${store.connectionId}`, {
      method: "POST",
      headers: { cookie: `${EMBED_COOKIE}=${embedCookie}` },
    });
    await inRequestScope(embedReq, () => embedSignOutAction(form({ connectionId: store.connectionId }))).catch((e: { digest?: string }) =>
      assert.match(String(e.digest), /NEXT_REDIRECT/),
    );
    assert.equal(await embedViewer(embedCookie, connection), null, "the copied embed cookie no longer works");
  });
});

describe("browser-facing hardening", () => {
  test("state-changing JSON routes refuse a foreign Origin (as server actions do) and change nothing", async () => {
    const run = await db().syncRun.create({
      data: {
        tenantId: store.tenantId,
        bindingId: store.bindingIds[0],
        event: "invoice.created",
        entityType: "invoice",
        magentoEntityId: 4242,
        idempotencyKey: "invoice.created:4242",
        status: "failed",
        errorClass: "http",
        errorMessage: "boom",
        provider: "sage_accounting",
        policyVersion: 1,
        policySnapshot: {},
      },
    });
    const cookie = await sessionCookie(store.userId);
    const retry = (origin?: string) =>
      fetch(`${server.url}/api/tenants/${store.tenantId}/runs/${run.id}/retry`, {
        method: "POST",
        headers: { cookie, ...(origin ? { origin } : {}) },
      });
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example"]) {
      const before = await snapshot();
      const res = await retry(origin);
      assert.equal(res.status, 403, `${origin}: ${await res.text()}`);
      assert.deepEqual(diff(before, await snapshot()), [], `${origin}: nothing changed`);
    }
    const own = await retry(server.url);
    assert.equal(own.status, 202, await own.text());
    assert.equal((await db().syncRun.findUniqueOrThrow({ where: { id: run.id } })).status, "queued");
  });

  test("anti-framing headers on every response, error pages included, and HSTS in production", async () => {
    const { proxy } = await import("@/proxy");
    for (const path of ["/this-page-does-not-exist", "/api/tenants/x/nothing", "/sign-in", "/_error"]) {
      const res = await proxy(new NextRequest(`http://127.0.0.1:3000${path}`));
      assert.equal(res.headers.get("content-security-policy"), "frame-ancestors 'none'", path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    }
    // The embed of an unknown store may not be framed by anyone either.
    const embed = await proxy(new NextRequest("http://127.0.0.1:3000/embed/00000000-0000-4000-8000-000000000000"));
    assert.equal(embed.headers.get("content-security-policy"), "frame-ancestors 'none'");
    const { securityHeaders, HSTS } = await import("@/lib/http/security-headers");
    assert.equal(securityHeaders({ production: true, frameAncestors: null })["Strict-Transport-Security"], HSTS);
    assert.equal(securityHeaders({ production: false, frameAncestors: null })["Strict-Transport-Security"], undefined);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { TenantContext } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import type { Role } from "@/src/generated/prisma/enums";
import { callAction, formAction, formToObject, runAction, submitAction, type ActionDeps } from "./action";

/** The server-action contract: who may call, what comes in, what the form gets back, what passes through. */

function member(role: Role): TenantContext {
  return {
    user: { id: "u-1", email: "ada@example.test", name: "Ada" },
    tenant: { id: "t-1", name: "Acme", planTier: "starter" as TenantContext["tenant"]["planTier"] },
    role,
    memberships: [],
  };
}

/** A session lookup that records where an expired session would return to. */
function as(role: Role): ActionDeps & { asked: (string | undefined)[] } {
  const asked: (string | undefined)[] = [];
  return { asked, session: async (returnTo) => (asked.push(returnTo), member(role)) };
}

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

const isRedirect = (e: unknown) => String((e as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT");

describe("input", () => {
  test("FormData becomes a plain object for zod; repeated names become arrays", () => {
    assert.deepEqual(
      formToObject(
        form([
          ["a", "1"],
          ["b", "x"],
          ["b", "y"],
        ]),
      ),
      { a: "1", b: ["x", "y"] },
    );
  });

  test("a valid form reaches the action parsed; the result is { ok, data }", async () => {
    const act = formAction(
      { name: "t.echo", access: "public", input: z.object({ n: z.coerce.number().int(), tags: z.array(z.string()) }) },
      async (input) => input,
    );
    assert.deepEqual(
      await act(
        null,
        form([
          ["n", "42"],
          ["tags", "a"],
          ["tags", "b"],
        ]),
      ),
      { ok: true, data: { n: 42, tags: ["a", "b"] } },
    );
  });

  test("invalid input never reaches the action: validation_failed, the first problem as the message, a message per field, typed values echoed but never the password", async () => {
    let ran = false;
    const act = formAction(
      {
        name: "t.signUp",
        access: "public",
        input: z.object({ email: z.email("Enter a valid email address"), password: z.string().min(12, "Use at least 12 characters") }),
        echo: ["email"],
      },
      async () => ((ran = true), null),
    );
    const r = await act(
      null,
      form([
        ["email", "nope"],
        ["password", "short"],
      ]),
    );
    assert.equal(ran, false);
    assert.deepEqual(r, {
      ok: false,
      error: {
        code: "validation_failed",
        message: "Enter a valid email address",
        fields: { email: "Enter a valid email address", password: "Use at least 12 characters" },
      },
      values: { email: "nope" },
    });
  });

  test("direct calls take typed arguments through the same contract", async () => {
    const save = callAction(
      {
        name: "t.save",
        access: "editSettings",
        input: z.object({ bindingId: z.uuid("This binding does not exist."), version: z.number().int() }),
      },
      async (i) => i.version + 1,
      as("admin"),
    );
    assert.deepEqual(await save({ bindingId: "0b7d7f3e-1c2a-4d5e-8f90-123456789abc", version: 3 }), { ok: true, data: 4 });
    const bad = await save({ bindingId: "x", version: 3 });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.message, "This binding does not exist.");
  });
});

describe("access", () => {
  test("the role is checked before anything runs, with the capability's own sentence (lib/auth/roles.ts)", async () => {
    let ran = false;
    const deps = as("viewer");
    const act = formAction(
      { name: "t.retry", access: "retryRuns", returnTo: "/dashboard/sync", input: z.object({}) },
      async () => ((ran = true), null),
      deps,
    );
    const r = await act(null, new FormData());
    assert.equal(ran, false);
    assert.deepEqual(r, {
      ok: false,
      error: { code: "forbidden", message: "Your role (viewer) can view runs but not retry them. An operator can." },
    });
    assert.deepEqual(deps.asked, ["/dashboard/sync"], "the session lookup knows where to come back after signing in");
  });

  test("a role with the capability runs with the tenant context; higher roles include lower ones", async () => {
    const act = formAction(
      { name: "t.who", access: "editSettings", input: z.object({}) },
      async (_i, ctx) => `${ctx.user.email} in ${ctx.tenant.name} as ${ctx.role}`,
      as("owner"),
    );
    assert.deepEqual(await act(null, new FormData()), { ok: true, data: "ada@example.test in Acme as owner" });
  });

  test("the refusal comes before input checks: a stranger learns nothing about the input", async () => {
    const act = formAction(
      { name: "t.members", access: "manageMembers", input: z.object({ membershipId: z.uuid("That member does not exist.") }) },
      async () => null,
      as("admin"),
    );
    const r = await act(null, form([["membershipId", "nope"]]));
    assert.equal(!r.ok && r.error.message, "Only owners manage members (your role is admin).");
  });

  test("returnTo may depend on the input", async () => {
    const deps = as("admin");
    const act = callAction(
      { name: "t.rt", access: "read", returnTo: (raw) => `/x/${(raw as { id: string }).id}`, input: z.object({ id: z.string() }) },
      async () => null,
      deps,
    );
    await act({ id: "7" });
    assert.deepEqual(deps.asked, ["/x/7"]);
  });

  test("public actions never look up a session", async () => {
    const act = formAction({ name: "t.public", access: "public", input: z.object({}) }, async (_i, ctx) => ctx, {
      session: async () => assert.fail("no session lookup for a public action"),
    });
    assert.deepEqual(await act(null, new FormData()), { ok: true, data: null });
  });
});

describe("errors through the one vocabulary", () => {
  const failing = (e: unknown, unexpected?: string) =>
    runAction({ name: "t.fail", access: "public", input: z.object({}), unexpected }, {}, async () => {
      throw e;
    });

  test("an AppError keeps its code and words; field errors become one message per input; suggestions pass; details never do", async () => {
    const e = new AppError("bad_request", "The store answered from another address.", {
      fields: { magentoBaseUrl: { code: "redirected", message: "Moved." } },
      suggestions: { magentoBaseUrl: "https://shop.example.com" },
      details: { internal: "stack-ish" },
    });
    assert.deepEqual(await failing(e), {
      ok: false,
      error: {
        code: "bad_request",
        message: "The store answered from another address.",
        fields: { magentoBaseUrl: "Moved." },
        suggestions: { magentoBaseUrl: "https://shop.example.com" },
      },
    });
  });

  test("anything else is a calm sentence, never the internal message", async () => {
    const r = await failing(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    assert.deepEqual(r, {
      ok: false,
      error: { code: "internal", message: "Something went wrong on our side; nothing was changed. Try again in a minute." },
    });
    const own = await failing(new Error("boom"), "Ledger could not save just now; nothing was changed.");
    assert.equal(!own.ok && own.error.message, "Ledger could not save just now; nothing was changed.");
  });

  test("the database being away is service_unavailable, not internal", async () => {
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const r = await failing(down);
    assert.equal(!r.ok && r.error.code, "service_unavailable");
    assert.doesNotMatch(!r.ok ? r.error.message : "", /ECONNREFUSED|5432/);
    const prisma = Object.assign(new Error("Unique constraint failed on the fields: (`email`)"), { name: "PrismaClientKnownRequestError" });
    assert.equal((await failing(prisma)).ok, false);
    assert.doesNotMatch(JSON.stringify(await failing(prisma)), /Unique constraint/);
  });
});

describe("Next's control flow passes through", () => {
  test("redirect() inside the action is not turned into an error", async () => {
    const act = formAction({ name: "t.go", access: "public", input: z.object({}) }, async () => redirect("/dashboard/bindings/1"));
    await assert.rejects(act(null, new FormData()), isRedirect);
  });

  test("an expired session's redirect to sign-in is not turned into an error", async () => {
    const act = formAction({ name: "t.expired", access: "read", input: z.object({}) }, async () => null, {
      session: async () => redirect("/sign-in"),
    });
    await assert.rejects(act(null, new FormData()), isRedirect);
  });

  test("plain form actions throw the mapped, user-safe error for the error page", async () => {
    const act = submitAction({ name: "t.submit", access: "manageConnections", input: z.object({}) }, async () => {}, as("viewer"));
    await assert.rejects(
      act(new FormData()),
      (e: unknown) => e instanceof AppError && e.code === "forbidden" && /Your role \(viewer\) cannot connect/.test(e.message),
    );
    const boom = submitAction({ name: "t.boom", access: "public", input: z.object({}) }, async () => {
      throw new Error("pg: relation does not exist");
    });
    await assert.rejects(
      boom(new FormData()),
      (e: unknown) => e instanceof AppError && e.code === "internal" && !e.message.includes("pg:"),
    );
  });
});

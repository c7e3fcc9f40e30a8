import "@/test/support/env";
import { after, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { truncateAll } from "@/test/support/db";
import { registerUser } from "./sign-up";
import { verifyPassword } from "./password";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

test("sign-up creates the user, their workspace and an owner membership, with an audit entry", async () => {
  const { userId, tenantId } = await registerUser({
    name: "Ada",
    email: " Ada@Example.COM ",
    password: "long-enough-pw",
    workspace: "Ada's Bikes",
  });
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
  assert.equal(user.email, "ada@example.com");
  assert.ok(user.passwordHash && (await verifyPassword("long-enough-pw", user.passwordHash)));
  assert.ok(!user.passwordHash.includes("long-enough-pw"));
  assert.deepEqual(
    user.memberships.map((m) => [m.tenantId, m.role]),
    [[tenantId, "owner"]],
  );
  const logs = await db().auditLog.findMany({ where: { tenantId } });
  assert.deepEqual(
    logs.map((l) => l.action),
    ["tenant.created"],
  );
});

test("a duplicate email is a field error and creates nothing", async () => {
  await registerUser({ name: "A", email: "a@b.test", password: "long-enough-pw", workspace: "One" });
  await assert.rejects(
    registerUser({ name: "B", email: "A@B.test", password: "long-enough-pw", workspace: "Two" }),
    (e: unknown) => e instanceof AppError && e.code === "conflict" && e.fields?.email?.code === "taken",
  );
  assert.equal(await db().tenant.count(), 1);
});

test("invalid input lists every bad field and touches nothing", async () => {
  await assert.rejects(
    registerUser({ name: "", email: "nope", password: "short", workspace: "" }),
    (e: unknown) =>
      e instanceof AppError &&
      e.code === "validation_failed" &&
      Object.keys(e.fields ?? {})
        .sort()
        .join() === "email,name,password,workspace",
  );
  assert.equal(await db().user.count(), 0);
});

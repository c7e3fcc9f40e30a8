import { test } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "@/lib/errors";
import { assertCan, can, roleAtLeast } from "./roles";

test("roles are ordered viewer < operator < admin < owner", () => {
  assert.ok(roleAtLeast("owner", "viewer"));
  assert.ok(roleAtLeast("operator", "operator"));
  assert.ok(!roleAtLeast("operator", "admin"));
  assert.ok(!roleAtLeast("viewer", "operator"));
});

test("capabilities: viewer reads, operator retries, admin edits settings, owner manages members", () => {
  const table = [
    ["viewer", { read: true, retryRuns: false, editSettings: false, manageMembers: false }],
    ["operator", { read: true, retryRuns: true, editSettings: false, manageMembers: false }],
    ["admin", { read: true, retryRuns: true, editSettings: true, manageMembers: false }],
    ["owner", { read: true, retryRuns: true, editSettings: true, manageMembers: true }],
  ] as const;
  for (const [role, expected] of table) {
    for (const [cap, allowed] of Object.entries(expected)) {
      assert.equal(can(role, cap as keyof typeof expected), allowed, `${role} ${cap}`);
    }
  }
});

test("one refusal per capability: forbidden, naming the role, said the same by actions, pages and domain checks", () => {
  assert.doesNotThrow(() => assertCan("admin", "editSettings"));
  const refusal = (role: Parameters<typeof assertCan>[0], capability: Parameters<typeof assertCan>[1]) => {
    try {
      assertCan(role, capability);
    } catch (e) {
      assert.ok(e instanceof AppError && e.code === "forbidden");
      return e.message;
    }
    return "allowed";
  };
  assert.equal(refusal("viewer", "editSettings"), "Your role (viewer) can view settings but not change them.");
  assert.equal(refusal("admin", "manageMembers"), "Only owners manage members (your role is admin).");
  assert.equal(refusal("operator", "manageBindings"), "Only owners disconnect bindings (your role is operator).");
  assert.match(refusal("viewer", "retryRuns"), /^Your role \(viewer\) can view runs but not retry them/);
  assert.equal(refusal("owner", "manageConnections"), "allowed");
});

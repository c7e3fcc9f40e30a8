import { test } from "node:test";
import assert from "node:assert/strict";
import { can, roleAtLeast } from "./roles";

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

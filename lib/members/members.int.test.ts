import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { makeMember, makeTenant } from "@/test/support/builders/workspace";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { truncateAll } from "@/test/support/db";
import {
  acceptInvitation,
  createInvitation,
  hashInvitationToken,
  inspectInvitation,
  listPendingInvitations,
  revokeInvitation,
  signUpAndAccept,
} from "./invitations";
import { changeMemberRole, listMembers, removeMember } from "./members";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

const rejects = (code: AppError["code"], message?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!message || message.test(e.message));

describe("roles and removal", () => {
  test("an owner changes roles and removes members; each change is audited", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    const viewer = await makeMember(t.id, "viewer");
    await changeMemberRole({ tenantId: t.id, actorUserId: owner.user.id, membershipId: viewer.membership.id, role: "admin" });
    assert.equal((await listMembers(t.id)).find((m) => m.userId === viewer.user.id)?.role, "admin");
    await removeMember({ tenantId: t.id, actorUserId: owner.user.id, membershipId: viewer.membership.id });
    assert.deepEqual(
      (await listMembers(t.id)).map((m) => m.email),
      [owner.user.email],
    );
    const actions = (await db().auditLog.findMany({ where: { tenantId: t.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    assert.deepEqual(actions, ["member.role_changed", "member.removed"]);
  });

  test("the last owner can be neither demoted nor removed; with two owners one may go", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    await assert.rejects(
      changeMemberRole({ tenantId: t.id, actorUserId: owner.user.id, membershipId: owner.membership.id, role: "admin" }),
      rejects("conflict", /at least one owner/),
    );
    await assert.rejects(
      removeMember({ tenantId: t.id, actorUserId: owner.user.id, membershipId: owner.membership.id }),
      rejects("conflict", /last owner/),
    );
    const second = await makeMember(t.id, "owner");
    await changeMemberRole({ tenantId: t.id, actorUserId: second.user.id, membershipId: owner.membership.id, role: "viewer" });
    // the remaining owner is now the last one
    await assert.rejects(
      removeMember({ tenantId: t.id, actorUserId: second.user.id, membershipId: second.membership.id }),
      rejects("conflict"),
    );
    assert.deepEqual((await listMembers(t.id)).map((m) => m.role).sort(), ["owner", "viewer"]);
  });

  test("two owners demoting each other at once leave one owner", async () => {
    const t = await makeTenant();
    const a = await makeMember(t.id, "owner");
    const b = await makeMember(t.id, "owner");
    const results = await Promise.allSettled([
      changeMemberRole({ tenantId: t.id, actorUserId: a.user.id, membershipId: b.membership.id, role: "admin" }),
      changeMemberRole({ tenantId: t.id, actorUserId: b.user.id, membershipId: a.membership.id, role: "admin" }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal(await db().membership.count({ where: { tenantId: t.id, role: "owner" } }), 1);
  });

  test("only owners manage members", async () => {
    const t = await makeTenant();
    await makeMember(t.id, "owner");
    const admin = await makeMember(t.id, "admin");
    const viewer = await makeMember(t.id, "viewer");
    await assert.rejects(
      changeMemberRole({ tenantId: t.id, actorUserId: admin.user.id, membershipId: viewer.membership.id, role: "admin" }),
      rejects("forbidden"),
    );
    await assert.rejects(
      removeMember({ tenantId: t.id, actorUserId: admin.user.id, membershipId: viewer.membership.id }),
      rejects("forbidden"),
    );
    await assert.rejects(
      createInvitation({ tenantId: t.id, actorUserId: admin.user.id, email: "x@shop.test", role: "viewer" }),
      rejects("forbidden"),
    );
  });

  test("another tenant's members and invitations cannot be touched", async () => {
    const victim = await makeTenant();
    const victimOwner = await makeMember(victim.id, "owner");
    const victimViewer = await makeMember(victim.id, "viewer");
    const invite = await createInvitation({
      tenantId: victim.id,
      actorUserId: victimOwner.user.id,
      email: "new@shop.test",
      role: "viewer",
    });
    const rival = await makeTenant();
    const rivalOwner = await makeMember(rival.id, "owner");
    // naming the victim tenant: not a member there
    await assert.rejects(
      removeMember({ tenantId: victim.id, actorUserId: rivalOwner.user.id, membershipId: victimViewer.membership.id }),
      rejects("forbidden"),
    );
    // naming their own tenant with the victim's ids: nothing found
    await assert.rejects(
      removeMember({ tenantId: rival.id, actorUserId: rivalOwner.user.id, membershipId: victimViewer.membership.id }),
      rejects("not_found"),
    );
    await assert.rejects(
      changeMemberRole({ tenantId: rival.id, actorUserId: rivalOwner.user.id, membershipId: victimOwner.membership.id, role: "viewer" }),
      rejects("not_found"),
    );
    await assert.rejects(
      revokeInvitation({ tenantId: rival.id, actorUserId: rivalOwner.user.id, invitationId: invite.invitationId }),
      rejects("not_found"),
    );
    assert.equal((await listMembers(victim.id)).length, 2);
    assert.equal((await listPendingInvitations(victim.id)).length, 1);
  });
});

describe("invitations", () => {
  test("only the token's hash is stored; the link expires after 7 days", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    const now = new Date("2026-03-01T10:00:00Z");
    const inv = await createInvitation({
      tenantId: t.id,
      actorUserId: owner.user.id,
      email: " New.Person@Shop.TEST ",
      role: "operator",
      now,
    });
    const row = await db().invitation.findUniqueOrThrow({ where: { id: inv.invitationId } });
    assert.equal(row.email, "new.person@shop.test");
    assert.equal(row.tokenHash, hashInvitationToken(inv.token));
    assert.notEqual(row.tokenHash, inv.token);
    assert.ok(inv.token.length >= 43, "256-bit token");
    assert.equal(row.expiresAt.toISOString(), "2026-03-08T10:00:00.000Z");
    assert.equal((await inspectInvitation(inv.token, new Date("2026-03-08T09:59:59Z"))).status, "valid");
    assert.equal((await inspectInvitation(inv.token, new Date("2026-03-08T10:00:00Z"))).status, "expired");
    assert.deepEqual(await inspectInvitation("not-a-token"), { status: "unknown" });
  });

  test("a signed-in user with the invited email joins with the invited role, once", async () => {
    const t = await makeTenant("Acme");
    const owner = await makeMember(t.id, "owner");
    const inv = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "op@shop.test", role: "operator" });
    const other = await makeTenant("Elsewhere");
    const invitee = await makeMember(other.id, "owner", "op@shop.test");
    const joined = await acceptInvitation({ token: inv.token, userId: invitee.user.id });
    assert.deepEqual(joined, { tenantId: t.id, role: "operator", alreadyMember: false });
    assert.equal((await listMembers(t.id)).find((m) => m.email === "op@shop.test")?.role, "operator");
    assert.equal((await inspectInvitation(inv.token)).status, "accepted");
    await assert.rejects(acceptInvitation({ token: inv.token, userId: invitee.user.id }), rejects("conflict", /already been used/));
    assert.deepEqual(await listPendingInvitations(t.id), []);
  });

  test("the link is useless to an account with another email", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    const inv = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "invited@shop.test", role: "admin" });
    const stranger = await makeMember((await makeTenant()).id, "owner", "stranger@shop.test");
    await assert.rejects(acceptInvitation({ token: inv.token, userId: stranger.user.id }), rejects("forbidden", /invited@shop\.test/));
    assert.equal(await db().membership.count({ where: { tenantId: t.id } }), 1);
    assert.equal((await inspectInvitation(inv.token)).status, "valid", "a refused attempt does not use the link up");
  });

  test("an expired link is refused", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    const inv = await createInvitation({
      tenantId: t.id,
      actorUserId: owner.user.id,
      email: "late@shop.test",
      role: "viewer",
      now: new Date(Date.now() - 8 * 86_400_000),
    });
    const late = await makeMember((await makeTenant()).id, "owner", "late@shop.test");
    await assert.rejects(acceptInvitation({ token: inv.token, userId: late.user.id }), rejects("conflict", /expired/));
    await assert.rejects(
      signUpAndAccept({ token: inv.token, name: "Late", password: "a-long-enough-password" }),
      rejects("conflict", /expired/),
    );
    assert.equal((await listPendingInvitations(t.id))[0].expired, true);
  });

  test("sign up from the link: an account for the invited email, joined, no workspace of its own", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    const inv = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "fresh@shop.test", role: "viewer" });
    await assert.rejects(signUpAndAccept({ token: inv.token, name: "Fresh", password: "short" }), rejects("validation_failed"));
    const r = await signUpAndAccept({ token: inv.token, name: "Fresh", password: "a-long-enough-password" });
    assert.equal(r.email, "fresh@shop.test");
    const memberships = await db().membership.findMany({ where: { userId: r.userId } });
    assert.deepEqual(
      memberships.map((m) => [m.tenantId, m.role]),
      [[t.id, "viewer"]],
    );
    const user = await db().user.findUniqueOrThrow({ where: { id: r.userId } });
    assert.match(user.passwordHash ?? "", /^scrypt\$/);
  });

  test("sign up from the link refuses an email that already has an account", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    await makeMember((await makeTenant()).id, "owner", "exists@shop.test");
    const inv = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "exists@shop.test", role: "viewer" });
    await assert.rejects(
      signUpAndAccept({ token: inv.token, name: "Dup", password: "a-long-enough-password" }),
      rejects("conflict", /sign in/),
    );
  });

  test("inviting a member is refused; a new invitation replaces the previous link", async () => {
    const t = await makeTenant();
    const owner = await makeMember(t.id, "owner");
    await assert.rejects(
      createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: owner.user.email, role: "viewer" }),
      rejects("conflict"),
    );
    await assert.rejects(
      createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "nope", role: "viewer" }),
      rejects("validation_failed"),
    );
    const first = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "twice@shop.test", role: "viewer" });
    const second = await createInvitation({ tenantId: t.id, actorUserId: owner.user.id, email: "twice@shop.test", role: "admin" });
    assert.equal((await inspectInvitation(first.token)).status, "unknown");
    assert.equal((await inspectInvitation(second.token)).role, "admin");
    await revokeInvitation({ tenantId: t.id, actorUserId: owner.user.id, invitationId: second.invitationId });
    assert.equal((await inspectInvitation(second.token)).status, "unknown");
  });
});

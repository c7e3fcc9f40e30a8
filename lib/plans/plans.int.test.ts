import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, test } from "node:test";
import { makeBinding, makeTenant } from "@/test/support/builders/workspace";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { defaultPolicy } from "@/lib/policy/schema";
import type { Prisma } from "@/src/generated/prisma/client";
import { truncateAll } from "@/test/support/db";
import { changeWorkspacePlan, featuresFor, findWorkspace } from "./index";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

const isCode = (code: AppError["code"]) => (e: unknown) => e instanceof AppError && e.code === code;
const ops = { via: "ops-cli", operator: "ana" };

test("changing a workspace's plan by id: saved, audited with from, to, via and operator", async () => {
  const tenant = await makeTenant("Acme Outdoor");
  const r = await changeWorkspacePlan({ workspace: tenant.id, tier: "growth", actor: ops });
  assert.deepEqual([r.from, r.to, r.changed, r.workspace], ["trial", "growth", true, { id: tenant.id, name: "Acme Outdoor" }]);
  assert.equal((await db().tenant.findUniqueOrThrow({ where: { id: tenant.id } })).planTier, "growth");
  const entries = await db().auditLog.findMany({ where: { tenantId: tenant.id } });
  assert.equal(entries.length, 1);
  assert.deepEqual(
    { action: entries[0].action, actorType: entries[0].actorType, targetId: entries[0].targetId, data: entries[0].data },
    {
      action: "plan.changed",
      actorType: "system",
      targetId: tenant.id,
      data: { from: "trial", to: "growth", via: "ops-cli", operator: "ana" },
    },
  );
});

test("by exact name (any case); the same plan again changes and audits nothing", async () => {
  const tenant = await makeTenant("Harbour Goods", "scale");
  const same = await changeWorkspacePlan({ workspace: "harbour goods", tier: "Scale", actor: ops });
  assert.deepEqual([same.changed, same.from, same.to], [false, "scale", "scale"]);
  assert.equal(await db().auditLog.count({ where: { tenantId: tenant.id } }), 0);
  assert.equal((await findWorkspace("HARBOUR GOODS")).id, tenant.id);
});

test("refusals: unknown workspace, a name two workspaces share, an unknown plan — nothing changes", async () => {
  const a = await makeTenant("Twin Shop");
  const b = await makeTenant("Twin Shop");
  await assert.rejects(changeWorkspacePlan({ workspace: "No Such Shop", tier: "growth", actor: ops }), isCode("not_found"));
  await assert.rejects(
    changeWorkspacePlan({ workspace: "Twin Shop", tier: "growth", actor: ops }),
    (e: unknown) => isCode("conflict")(e) && (e as Error).message.includes(a.id) && (e as Error).message.includes(b.id),
  );
  await assert.rejects(
    changeWorkspacePlan({ workspace: a.id, tier: "platinum", actor: ops }),
    (e: unknown) => isCode("bad_request")(e) && /trial, starter, growth, scale, enterprise/.test((e as Error).message),
  );
  assert.deepEqual(
    (await db().tenant.findMany({ orderBy: { createdAt: "asc" } })).map((t) => t.planTier),
    ["trial", "trial"],
  );
  assert.equal(await db().auditLog.count(), 0);
});

test("a downgrade names the bindings whose saved settings use what the new plan lacks", async () => {
  const tenant = await makeTenant("Stocked", "scale");
  const { binding } = await makeBinding(tenant.id);
  const settings = { ...defaultPolicy(), sync_products: true, sync_stock: true } as unknown as Prisma.InputJsonValue;
  await db().syncPolicy.create({ data: { bindingId: binding.id, version: 1, settings } });
  const toGrowth = await changeWorkspacePlan({ workspace: tenant.id, tier: "growth", actor: ops });
  assert.deepEqual(toGrowth.overLimit, [{ bindingId: binding.id, features: ["stock"] }]);
  const toTrial = await changeWorkspacePlan({ workspace: tenant.id, tier: "trial", actor: ops });
  assert.deepEqual(toTrial.overLimit, [{ bindingId: binding.id, features: ["products", "stock"] }]);
  assert.equal(await db().auditLog.count({ where: { tenantId: tenant.id, action: "plan.changed" } }), 2);
});

test("featuresFor: the tier matrix, or everything with gating off", () => {
  assert.deepEqual(featuresFor("trial", true), { products: false, stock: false });
  assert.deepEqual(featuresFor("growth", true), { products: true, stock: false });
  assert.deepEqual(featuresFor("trial", false), { products: true, stock: true });
});

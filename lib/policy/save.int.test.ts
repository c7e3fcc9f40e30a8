import "@/test/support/env";
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { makeBinding, makeMember, makeTenant } from "@/test/support/builders/workspace";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { truncateAll } from "@/test/support/db";
import { mapEntryKey } from "./field-errors";
import { getPolicyVersion, listPolicyVersions } from "./history";
import { savePolicy } from "./save";
import { defaultPolicy } from "./schema";
import { currentPolicy, ensureInitialPolicy } from "./store";

beforeEach(() => truncateAll());
after(() => db().$disconnect());

async function setup(opts: Parameters<typeof makeBinding>[1] = {}) {
  const tenant = await makeTenant();
  const owner = await makeMember(tenant.id, "owner");
  const admin = await makeMember(tenant.id, "admin");
  const { binding } = await makeBinding(tenant.id, opts);
  await db().$transaction((tx) => ensureInitialPolicy(binding.id, tx));
  return { tenant, owner, admin, binding };
}

const valid = () => ({ ...defaultPolicy(), default_tax_rate_id: "GB_STANDARD", default_ledger_account_id: "LA_4000" });

const rejects = (code: AppError["code"]) => (e: unknown) => e instanceof AppError && e.code === code;

describe("savePolicy", () => {
  test("each save is a new version with who saved it, the changed keys and an audit entry", async () => {
    const { tenant, admin, binding } = await setup();
    const first = await savePolicy({
      tenantId: tenant.id,
      bindingId: binding.id,
      actorUserId: admin.user.id,
      settings: valid(),
      baseVersion: 1,
    });
    assert.equal(first.ok, true);
    assert.ok(first.ok);
    assert.equal(first.version, 2);
    assert.deepEqual(first.changes, [
      { key: "default_tax_rate_id", before: null, after: "GB_STANDARD" },
      { key: "default_ledger_account_id", before: null, after: "LA_4000" },
    ]);

    const second = await savePolicy({
      tenantId: tenant.id,
      bindingId: binding.id,
      actorUserId: admin.user.id,
      settings: {
        ...valid(),
        tax_rate_map: { "20": "GB_STANDARD", "0": "GB_ZERO" },
        b2c_consolidation: { ...valid().b2c_consolidation, enabled: true },
      },
      baseVersion: 2,
    });
    assert.ok(second.ok);
    assert.equal(second.version, 3);
    assert.deepEqual(second.changes, [
      { key: mapEntryKey("tax_rate_map", "5.00"), before: "GB_LOWER", after: null },
      { key: "b2c_consolidation.enabled", before: false, after: true },
    ]);

    const live = await currentPolicy(binding.id);
    assert.equal(live.version, 3);
    assert.deepEqual(live.settings.tax_rate_map, { "20.00": "GB_STANDARD", "0.00": "GB_ZERO" });
    const row = await db().syncPolicy.findUniqueOrThrow({ where: { bindingId_version: { bindingId: binding.id, version: 3 } } });
    assert.equal(row.savedById, admin.user.id);
    const audits = await db().auditLog.findMany({ where: { tenantId: tenant.id, action: "policy.saved" }, orderBy: { createdAt: "asc" } });
    assert.equal(audits.length, 2);
    assert.deepEqual(audits[1].data, { version: 3, changedKeys: [mapEntryKey("tax_rate_map", "5.00"), "b2c_consolidation.enabled"] });

    const history = await listPolicyVersions(tenant.id, binding.id);
    assert.deepEqual(
      history.map((h) => h.version),
      [3, 2, 1],
    );
    assert.equal(history[0].savedBy?.email, admin.user.email);
    assert.equal(history[2].savedBy, null, "version 1 is the system's defaults");
    assert.equal((await getPolicyVersion(tenant.id, binding.id, 2)).settings.tax_rate_map["5.00"], "GB_LOWER");
  });

  test("saving what is already live creates no version", async () => {
    const { tenant, owner, binding } = await setup();
    await savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: owner.user.id, settings: valid() });
    const again = await savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: owner.user.id, settings: valid() });
    assert.ok(again.ok);
    assert.deepEqual([again.version, again.unchanged, again.changes], [2, true, []]);
    assert.equal(await db().syncPolicy.count({ where: { bindingId: binding.id } }), 2);
  });

  test("field errors come back and nothing is saved", async () => {
    const { tenant, admin, binding } = await setup();
    const r = await savePolicy({
      tenantId: tenant.id,
      bindingId: binding.id,
      actorUserId: admin.user.id,
      settings: { ...valid(), tax_rate_map: { "20": "GB_UNKNOWN" } },
    });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.fields[mapEntryKey("tax_rate_map", "20.00")].code, "not_in_reference");
    assert.equal((await currentPolicy(binding.id)).version, 1);
  });

  test("a binding without Sage cannot be saved (nothing to check ids against)", async () => {
    const { tenant, admin, binding } = await setup({ sage: null });
    const r = await savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: admin.user.id, settings: valid() });
    assert.ok(!r.ok);
    assert.match(r.formError ?? "", /Connect Sage/);
  });

  test("plan gating uses the workspace's plan and names the plan that unlocks the setting", async () => {
    const growth = await setup({ planTier: "growth" });
    const products = { ...valid(), sync_products: true, default_purchase_ledger_account_id: "LA_5000" };
    assert.equal(
      (
        await savePolicy({
          tenantId: growth.tenant.id,
          bindingId: growth.binding.id,
          actorUserId: growth.admin.user.id,
          settings: products,
        })
      ).ok,
      true,
    );
    const trial = await setup({ planTier: "trial" });
    const r = await savePolicy({
      tenantId: trial.tenant.id,
      bindingId: trial.binding.id,
      actorUserId: trial.admin.user.id,
      settings: products,
    });
    assert.ok(!r.ok);
    assert.equal(r.fields.sync_products.code, "tier_limit_exceeded");
    assert.equal(
      r.fields.sync_products.message,
      "Product sync is included from the Growth plan; this workspace is on Trial. See Plan to change it.",
    );
    // The plan is the workspace's: upgrading it lets the same binding save.
    await db().tenant.update({ where: { id: trial.tenant.id }, data: { planTier: "growth" } });
    assert.equal(
      (await savePolicy({ tenantId: trial.tenant.id, bindingId: trial.binding.id, actorUserId: trial.admin.user.id, settings: products }))
        .ok,
      true,
    );
  });

  test("someone else's save since the page opened is a conflict, not an overwrite", async () => {
    const { tenant, owner, admin, binding } = await setup();
    await savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: owner.user.id, settings: valid(), baseVersion: 1 });
    await assert.rejects(
      savePolicy({
        tenantId: tenant.id,
        bindingId: binding.id,
        actorUserId: admin.user.id,
        settings: { ...valid(), sync_unpaid_invoices: false },
        baseVersion: 1,
      }),
      rejects("conflict"),
    );
    assert.equal((await currentPolicy(binding.id)).version, 2);
  });

  test("viewers and operators may not save", async () => {
    const { tenant, binding } = await setup();
    for (const role of ["viewer", "operator"] as const) {
      const { user } = await makeMember(tenant.id, role);
      await assert.rejects(
        savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: user.id, settings: valid() }),
        rejects("forbidden"),
      );
    }
    assert.equal((await currentPolicy(binding.id)).version, 1);
  });

  test("another tenant's binding: outsiders are refused and its owner's id reveals nothing", async () => {
    const victim = await setup();
    const rival = await setup();
    // naming the victim's tenant without being a member
    await assert.rejects(
      savePolicy({ tenantId: victim.tenant.id, bindingId: victim.binding.id, actorUserId: rival.owner.user.id, settings: valid() }),
      rejects("forbidden"),
    );
    // naming their own tenant with the victim's binding id
    await assert.rejects(
      savePolicy({ tenantId: rival.tenant.id, bindingId: victim.binding.id, actorUserId: rival.owner.user.id, settings: valid() }),
      rejects("not_found"),
    );
    assert.equal((await currentPolicy(victim.binding.id)).version, 1);
    assert.deepEqual(await listPolicyVersions(rival.tenant.id, victim.binding.id), []);
    await assert.rejects(getPolicyVersion(rival.tenant.id, victim.binding.id, 1), rejects("not_found"));
  });

  test("a disconnected binding's settings are frozen", async () => {
    const { tenant, owner, binding } = await setup();
    await db().binding.update({ where: { id: binding.id }, data: { status: "revoked" } });
    await assert.rejects(
      savePolicy({ tenantId: tenant.id, bindingId: binding.id, actorUserId: owner.user.id, settings: valid() }),
      rejects("conflict"),
    );
  });
});

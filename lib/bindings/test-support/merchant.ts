import { db, type Prisma } from "@/lib/db";
import type { ReferenceItems } from "@/lib/sage/reference-data";
import { REFERENCE } from "./reference";
import type { PlanTier, Role, RunStatus } from "@/src/generated/prisma/enums";

/**
 * Test-only builders for the merchant dashboard's integration tests: real rows through Prisma, the
 * way pairing, Connect Sage and the sync engine leave them.
 */

let seq = 0;
const next = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeTenant(name = `Shop ${next()}`, planTier: PlanTier = "trial") {
  return db().tenant.create({ data: { name, planTier } });
}

export async function makeMember(tenantId: string, role: Role, email = `${role}-${next()}@shop.test`) {
  const user = await db().user.create({ data: { email, name: `${role} ${email}` } });
  const membership = await db().membership.create({ data: { tenantId, userId: user.id, role } });
  return { user, membership };
}


export { REFERENCE };

export async function seedReference(bindingId: string, fetchedAt = new Date(), items: ReferenceItems = REFERENCE): Promise<void> {
  for (const [kind, list] of Object.entries(items)) {
    await db().sageReferenceData.upsert({
      where: { bindingId_kind: { bindingId, kind } },
      create: { bindingId, kind, items: list as Prisma.InputJsonValue, fetchedAt },
      update: { items: list as Prisma.InputJsonValue, fetchedAt },
    });
  }
}

export interface BindingOptions {
  /** Sets the WORKSPACE's plan (plans belong to the workspace, not to a binding). */
  planTier?: PlanTier;
  /** null: Sage not connected yet (binding pending_sage). */
  sage?: { status?: "active" | "needs_reconnect"; businessName?: string; region?: string } | null;
  magentoStatus?: "pending" | "active" | "token_revoked" | "revoked";
  /** Magento's base URL; defaults to a closed local port so live calls fail fast. */
  baseUrl?: string;
  reference?: boolean;
}

export async function makeBinding(tenantId: string, opts: BindingOptions = {}) {
  const magento = await db().magentoConnection.create({
    data: { tenantId, baseUrl: opts.baseUrl ?? `http://127.0.0.1:9/store-${next()}`, status: opts.magentoStatus ?? "active", pairedAt: new Date() },
  });
  const sageOpts = opts.sage === undefined ? {} : opts.sage;
  const sage = sageOpts
    ? await db().sageConnection.create({
        data: {
          tenantId,
          businessId: `biz-${next()}`,
          businessName: sageOpts.businessName ?? "Acme Trading Ltd",
          region: sageOpts.region ?? "uk",
          status: sageOpts.status ?? "active",
        },
      })
    : null;
  const binding = await db().binding.create({
    data: {
      tenantId,
      magentoConnectionId: magento.id,
      sageConnectionId: sage?.id ?? null,
      status: sage ? "active" : "pending_sage",
    },
  });
  if (opts.planTier) await db().tenant.update({ where: { id: tenantId }, data: { planTier: opts.planTier } });
  if (sage && opts.reference !== false) await seedReference(binding.id);
  return { binding, magento, sage };
}

export async function makeRun(
  b: { id: string; tenantId: string },
  status: RunStatus,
  at: { createdAt?: Date; finishedAt?: Date | null; updatedAt?: Date } = {},
) {
  const n = seq++;
  const createdAt = at.createdAt ?? new Date();
  const terminal = status === "succeeded" || status === "failed" || status === "skipped_by_policy";
  const run = await db().syncRun.create({
    data: {
      tenantId: b.tenantId,
      bindingId: b.id,
      event: "invoice.created",
      entityType: "invoice",
      magentoEntityId: 1000 + n,
      magentoIncrementId: `10000${1000 + n}`,
      idempotencyKey: `key-${next()}`,
      status,
      reasonCode: status === "skipped_by_policy" ? "unpaid_invoice" : null,
      errorClass: status === "failed" ? "validation" : null,
      errorMessage: status === "failed" ? "Contact is invalid" : null,
      providerReference: status === "succeeded" ? `SI-${n}` : null,
      policyVersion: 1,
      policySnapshot: {},
      createdAt,
      finishedAt: at.finishedAt === undefined ? (terminal ? createdAt : null) : at.finishedAt,
    },
  });
  // updated_at is maintained by Prisma on write; tests that need an old one set it by hand.
  if (at.updatedAt) await db().$executeRaw`UPDATE sync_runs SET updated_at = ${at.updatedAt} WHERE id = ${run.id}::uuid`;
  return run;
}

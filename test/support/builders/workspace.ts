import { hashPassword } from "@/lib/auth/password";
import { db, type Prisma } from "@/lib/db";
import { defaultPolicy, type Policy } from "@/lib/policy/schema";
import type { ReferenceItems } from "@/lib/sage/reference-data";
import { REFERENCE } from "../sage/reference";
import type { PlanTier, Role, RunStatus } from "@/src/generated/prisma/enums";

/**
 * Test-only builders of a workspace: tenants, members, bindings (a paired store, its Sage business,
 * the policy and reference cache) and runs — real rows through Prisma, the way sign-up, pairing,
 * Connect Sage and the sync engine leave them. The integration tests and the browser tests' seed
 * (e2e/global-setup.ts) build with the same functions.
 */

let seq = 0;
const next = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function makeTenant(name = `Shop ${next()}`, planTier: PlanTier = "trial") {
  return db().tenant.create({ data: { name, planTier } });
}

/** A user with a membership; with `password`, one who can sign in through the real form. */
export async function makeMember(
  tenantId: string,
  role: Role,
  email = `${role}-${next()}@shop.test`,
  opts: { name?: string; password?: string } = {},
) {
  const passwordHash = opts.password === undefined ? null : await hashPassword(opts.password);
  const user = await db().user.create({ data: { email, name: opts.name ?? `${role} ${email}`, passwordHash } });
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
  pairedAt?: Date | null;
  /** The Sage business id; defaults to a fresh one. */
  businessId?: string;
  /** Seed the reference cache (default: when Sage is connected), fetched at this time (default: now). */
  reference?: boolean;
  referenceFetchedAt?: Date;
  /** Policy version 1 = the defaults, as pairing leaves it (default: none). */
  initialPolicy?: boolean;
}

export async function makeBinding(tenantId: string, opts: BindingOptions = {}) {
  const magento = await db().magentoConnection.create({
    data: {
      tenantId,
      baseUrl: opts.baseUrl ?? `http://127.0.0.1:9/store-${next()}`,
      status: opts.magentoStatus ?? "active",
      pairedAt: opts.pairedAt === undefined ? new Date() : opts.pairedAt,
    },
  });
  const sageOpts = opts.sage === undefined ? {} : opts.sage;
  const sage = sageOpts
    ? await db().sageConnection.create({
        data: {
          tenantId,
          businessId: opts.businessId ?? `biz-${next()}`,
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
  if (opts.initialPolicy) await addPolicyVersion(binding.id, { version: 1, settings: defaultPolicy() });
  if (sage && opts.reference !== false) await seedReference(binding.id, opts.referenceFetchedAt);
  return { binding, magento, sage };
}

/** A saved version of a binding's policy, as the settings page writes it. */
export async function addPolicyVersion(
  bindingId: string,
  v: { version: number; settings: Policy; savedById?: string | null; changes?: { key: string; before: unknown; after: unknown }[] },
) {
  return db().syncPolicy.create({
    data: {
      bindingId,
      version: v.version,
      settings: v.settings as unknown as Prisma.InputJsonValue,
      savedById: v.savedById ?? null,
      changes: (v.changes ?? []) as unknown as Prisma.InputJsonValue,
    },
  });
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

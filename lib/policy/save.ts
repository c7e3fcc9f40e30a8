import { audit } from "@/lib/audit";
import { assertCan } from "@/lib/auth/roles";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { planGatingEnabled } from "./tiers";
import { diffPolicies, type PolicyChange } from "./diff";
import { loadEditorData } from "./editor-data";
import type { PolicyFieldErrors } from "./field-errors";
import { currentPolicy } from "./store";
import { validatePolicy, type ValidationContext } from "./validate";

/**
 * Saving a binding's settings: every save is a NEW `SyncPolicy` version (runs already queued keep the
 * snapshot they took, so a change applies from the next event), with who saved it and the list of
 * changed keys, and an audit entry. Only admins and owners of the binding's own tenant may save.
 */

const log = childLog({ component: "policy.save" });

export interface SavePolicyInput {
  tenantId: string;
  bindingId: string;
  actorUserId: string;
  /** The submitted settings, untrusted. */
  settings: unknown;
  /** The version the editor was opened on; a newer saved version means someone else saved meanwhile. */
  baseVersion?: number;
}

export type SavePolicyResult =
  { ok: true; version: number; changes: PolicyChange[]; unchanged: boolean } | { ok: false; fields: PolicyFieldErrors; formError?: string };

/** Role and tenant, re-checked from the database: the caller's claims are never trusted. */
async function authorise(tenantId: string, bindingId: string, actorUserId: string) {
  const membership = await db().membership.findUnique({ where: { tenantId_userId: { tenantId, userId: actorUserId } } });
  if (!membership) throw new AppError("forbidden", "You do not have access to this workspace.");
  const binding = await db().binding.findFirst({
    where: { id: bindingId, tenantId },
    select: { id: true, status: true, magentoConnectionId: true, sageConnectionId: true, tenant: { select: { planTier: true } } },
  });
  // Another tenant's binding answers exactly like a missing one.
  if (!binding) throw new AppError("not_found", "This binding does not exist.");
  assertCan(membership.role, "editSettings");
  if (binding.status === "revoked") throw new AppError("conflict", "This binding is disconnected; its settings can no longer change.");
  return { ...binding, planTier: binding.tenant.planTier };
}

/** What a save is checked against: the reference cache, the live payment methods and the workspace's plan. */
export async function validationContextFor(binding: {
  id: string;
  planTier: ValidationContext["planTier"];
  magentoConnectionId: string;
  sageConnectionId: string | null;
}): Promise<ValidationContext> {
  const data = await loadEditorData(binding);
  return {
    reference: data.reference?.items ?? null,
    paymentMethodCodes: data.paymentMethods?.map((m) => m.code) ?? null,
    planTier: binding.planTier,
    planGating: planGatingEnabled(),
  };
}

export async function savePolicy(input: SavePolicyInput): Promise<SavePolicyResult> {
  const binding = await authorise(input.tenantId, input.bindingId, input.actorUserId);
  const result = validatePolicy(input.settings, await validationContextFor(binding));
  if (!result.ok) return result;

  const saved = await db().$transaction(async (tx) => {
    // Serialise saves of one binding so version numbers and diffs are computed against the true latest.
    await tx.$queryRaw`SELECT id FROM bindings WHERE id = ${binding.id}::uuid FOR UPDATE`;
    const current = await currentPolicy(binding.id, tx);
    if (input.baseVersion !== undefined && current.version !== input.baseVersion) {
      throw new AppError(
        "conflict",
        `Someone saved version ${current.version} after you opened this page (you started from version ${input.baseVersion}). Reload to see their changes, then apply yours again.`,
      );
    }
    const changes = diffPolicies(current.settings, result.policy);
    if (changes.length === 0) return { version: current.version, changes, unchanged: true };
    const version = current.version + 1;
    await tx.syncPolicy.create({
      data: {
        bindingId: binding.id,
        version,
        settings: result.policy as unknown as Prisma.InputJsonValue,
        savedById: input.actorUserId,
        changes: changes as unknown as Prisma.InputJsonValue,
      },
    });
    await audit(
      {
        tenantId: input.tenantId,
        actorType: "user",
        actorUserId: input.actorUserId,
        action: "policy.saved",
        targetType: "binding",
        targetId: binding.id,
        data: { version, changedKeys: changes.map((c) => c.key) },
      },
      tx,
    );
    return { version, changes, unchanged: false };
  });
  log.info({ tenantId: input.tenantId, bindingId: binding.id, version: saved.version, changed: saved.changes.length }, "policy saved");
  return { ok: true, ...saved };
}

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { PlanTier, Role } from "@/src/generated/prisma/enums";
import { auth } from "./config";
import { assertCan, type Capability } from "./roles";

export const TENANT_COOKIE = "ledger_tenant";

export interface MembershipSummary {
  tenantId: string;
  tenantName: string;
  role: Role;
}

export interface TenantContext {
  user: { id: string; email: string; name: string | null };
  tenant: { id: string; name: string; planTier: PlanTier };
  role: Role;
  memberships: MembershipSummary[];
}

/** The signed-in user's id, or null. Membership and role are never trusted from the token. */
export async function sessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}

async function loadContext(userId: string, wantedTenantId: string | undefined): Promise<TenantContext | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    include: { memberships: { include: { tenant: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!user) return null;
  const memberships = user.memberships.map((m) => ({ tenantId: m.tenantId, tenantName: m.tenant.name, role: m.role }));
  const chosen = user.memberships.find((m) => m.tenantId === wantedTenantId) ?? user.memberships[0];
  if (!chosen) return null;
  return {
    user: { id: user.id, email: user.email, name: user.name },
    tenant: { id: chosen.tenant.id, name: chosen.tenant.name, planTier: chosen.tenant.planTier },
    role: chosen.role,
    memberships,
  };
}

/**
 * For dashboard pages and server actions: the signed-in user in their current tenant (the tenant
 * switcher's cookie, validated against memberships). Unauthenticated → redirect to sign-in.
 */
export async function requireTenantContext(capability: Capability = "read", returnTo?: string): Promise<TenantContext> {
  const userId = await sessionUserId();
  if (!userId) redirect(`/sign-in${returnTo ? `?callbackUrl=${encodeURIComponent(returnTo)}` : ""}`);
  const wanted = (await cookies()).get(TENANT_COOKIE)?.value;
  const ctx = await loadContext(userId, wanted);
  if (!ctx) redirect("/sign-in?error=no_membership");
  assertCan(ctx.role, capability);
  return ctx;
}

/**
 * For API routes and actions that name a tenant explicitly: the caller must be a member of THAT
 * tenant with the capability. Answers in the error vocabulary (401 / 403), never redirects.
 */
export async function requireTenantAccess(tenantId: string, capability: Capability = "read"): Promise<TenantContext> {
  const userId = await sessionUserId();
  if (!userId) throw new AppError("unauthenticated", "Sign in to continue.");
  const ctx = await loadContext(userId, tenantId);
  if (!ctx || ctx.tenant.id !== tenantId) {
    // Same answer whether the tenant exists or not: ids of other tenants reveal nothing.
    throw new AppError("forbidden", "You do not have access to this workspace.");
  }
  assertCan(ctx.role, capability);
  return ctx;
}

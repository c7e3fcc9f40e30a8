import { AppError } from "@/lib/errors";
import type { Role } from "@/src/generated/prisma/enums";

/**
 * Every role check in the app goes through here. Roles are ordered: each includes the ones below.
 * viewer reads; operator retries runs; admin edits settings and connections; owner manages members
 * and bindings.
 */
export const ROLE_ORDER: readonly Role[] = ["viewer", "operator", "admin", "owner"] as const;

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(min);
}

/** What each capability needs; pages and actions name the capability, not the role. */
export const CAPABILITY = {
  read: "viewer",
  retryRuns: "operator",
  /** starting a reconciliation spends the Sage business's request budget */
  reconcile: "operator",
  editSettings: "admin",
  manageConnections: "admin",
  manageBindings: "owner",
  manageMembers: "owner",
  manageAlertWebhook: "owner",
} as const satisfies Record<string, Role>;

export type Capability = keyof typeof CAPABILITY;

export function can(role: Role, capability: Capability): boolean {
  return roleAtLeast(role, CAPABILITY[capability]);
}

/** What a member is told when their role lacks a capability: one sentence per capability, said the same everywhere. */
const REFUSAL: Record<Capability, (role: Role) => string> = {
  read: () => "You do not have access to this workspace.",
  retryRuns: (role) => `Your role (${role}) can view runs but not retry them. An operator can.`,
  reconcile: (role) => `Your role (${role}) can view reconciliations but not start one. An operator can.`,
  editSettings: (role) => `Your role (${role}) can view settings but not change them.`,
  manageConnections: (role) => `Your role (${role}) cannot connect or disconnect stores and Sage. Ask an admin or owner.`,
  manageBindings: (role) => `Only owners disconnect bindings (your role is ${role}).`,
  manageMembers: (role) => `Only owners manage members (your role is ${role}).`,
  manageAlertWebhook: (role) => `Only owners set the workspace's alert webhook (your role is ${role}).`,
};

/** The one refusal: throws `forbidden` with the capability's sentence unless the role may. */
export function assertCan(role: Role, capability: Capability): void {
  if (!can(role, capability)) throw new AppError("forbidden", REFUSAL[capability](role));
}

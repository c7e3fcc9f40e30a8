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
  editSettings: "admin",
  manageConnections: "admin",
  manageBindings: "owner",
  manageMembers: "owner",
} as const satisfies Record<string, Role>;

export type Capability = keyof typeof CAPABILITY;

export function can(role: Role, capability: Capability): boolean {
  return roleAtLeast(role, CAPABILITY[capability]);
}

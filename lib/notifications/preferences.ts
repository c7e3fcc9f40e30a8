import { db } from "@/lib/db";
import type { Role } from "@/src/generated/prisma/enums";
import { ALERT_KINDS, type AlertKind } from "@/lib/alerts/kinds";

/**
 * Each member's choice per kind, for themselves. Without a saved choice, owners and admins get every
 * kind by email (they are who can fix things) and operators and viewers none: a new workspace hears
 * about trouble without anyone setting anything up, and nobody is mailed who did not ask.
 */

export function defaultEmail(role: Role): boolean {
  return role === "owner" || role === "admin";
}

export type KindChoices = Record<AlertKind, boolean>;

export async function preferencesOf(tenantId: string, userId: string, role: Role): Promise<KindChoices> {
  const rows = await db().alertPreference.findMany({ where: { tenantId, userId } });
  const saved = new Map(rows.map((r) => [r.kind, r.email]));
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, saved.get(k) ?? defaultEmail(role)])) as KindChoices;
}

export async function savePreferences(tenantId: string, userId: string, choices: KindChoices): Promise<void> {
  await db().$transaction(
    ALERT_KINDS.map((kind) =>
      db().alertPreference.upsert({
        where: { tenantId_userId_kind: { tenantId, userId, kind } },
        create: { tenantId, userId, kind, email: choices[kind] },
        update: { email: choices[kind] },
      }),
    ),
  );
}

/** The email addresses that receive this kind in this workspace. */
export async function emailRecipients(tenantId: string, kind: AlertKind): Promise<string[]> {
  const members = await db().membership.findMany({
    where: { tenantId },
    select: { role: true, user: { select: { email: true, alertPreferences: { where: { tenantId, kind }, select: { email: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return members.filter((m) => m.user.alertPreferences[0]?.email ?? defaultEmail(m.role)).map((m) => m.user.email);
}

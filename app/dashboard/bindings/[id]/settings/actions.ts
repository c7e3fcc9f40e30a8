"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { SaveState } from "@/components/settings/settings-editor";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { childLog } from "@/lib/log";
import { getPolicyVersion } from "@/lib/policy/history";
import { savePolicy } from "@/lib/policy/save";
import type { Policy } from "@/lib/policy/schema";
import { refreshReferenceData } from "@/lib/sage/reference-data";

/** Server actions of the settings page. Every one re-derives tenant and role from the session. */

const log = childLog({ component: "settings.actions" });
const uuid = z.uuid();
const settingsPath = (id: string) => `/dashboard/bindings/${id}/settings`;

export async function savePolicyAction(bindingId: string, baseVersion: number, settings: Record<string, unknown>): Promise<SaveState> {
  const ctx = await requireTenantContext("read", settingsPath(bindingId));
  if (!uuid.safeParse(bindingId).success || !Number.isInteger(baseVersion)) return { ok: false, formError: "This binding does not exist." };
  try {
    const r = await savePolicy({ tenantId: ctx.tenant.id, bindingId, actorUserId: ctx.user.id, settings, baseVersion });
    if (!r.ok) return r;
    revalidatePath(settingsPath(bindingId));
    return { ok: true, version: r.version, unchanged: r.unchanged, changed: r.changes.map((c) => c.key) };
  } catch (e) {
    if (isAppError(e)) return { ok: false, formError: e.message };
    log.error({ err: e, bindingId }, "saving settings failed");
    return { ok: false, formError: "Ledger could not save just now; nothing was changed. Try again in a moment." };
  }
}

export async function refreshReferenceAction(bindingId: string): Promise<{ ok: boolean; message: string }> {
  const ctx = await requireTenantContext("read", settingsPath(bindingId));
  if (!can(ctx.role, "editSettings")) return { ok: false, message: `Your role (${ctx.role}) cannot refresh Sage data.` };
  const binding = uuid.safeParse(bindingId).success
    ? await db().binding.findFirst({ where: { id: bindingId, tenantId: ctx.tenant.id }, select: { id: true, sageConnectionId: true } })
    : null;
  if (!binding) return { ok: false, message: "This binding does not exist." };
  if (!binding.sageConnectionId) return { ok: false, message: "Connect Sage first: the lists come from your Sage business." };
  try {
    await refreshReferenceData(binding.id);
    revalidatePath(settingsPath(binding.id));
    return { ok: true, message: "Sage accounts, tax rates and bank accounts refreshed." };
  } catch (e) {
    log.warn({ err: e, bindingId }, "reference refresh failed");
    return { ok: false, message: "Sage did not answer; the lists shown are the last ones fetched. Try again in a minute." };
  }
}

export async function loadPolicyVersionAction(bindingId: string, version: number): Promise<{ settings: Policy } | { error: string }> {
  const ctx = await requireTenantContext("read", settingsPath(bindingId));
  if (!uuid.safeParse(bindingId).success || !Number.isInteger(version)) return { error: "That version does not exist." };
  try {
    return { settings: (await getPolicyVersion(ctx.tenant.id, bindingId, version)).settings };
  } catch (e) {
    if (isAppError(e)) return { error: e.message };
    throw e;
  }
}

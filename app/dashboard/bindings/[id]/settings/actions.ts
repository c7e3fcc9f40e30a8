"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { callAction } from "@/lib/http/action";
import { childLog } from "@/lib/log";
import { getPolicyVersion } from "@/lib/policy/history";
import { savePolicy } from "@/lib/policy/save";
import { refreshReferenceData } from "@/lib/sage/reference-data";

/** Server actions of the settings page, called by the editor with typed arguments. Tenant and role come from the session. */

const log = childLog({ component: "settings.actions" });
const settingsPath = (id: string) => `/dashboard/bindings/${id}/settings`;
const bindingId = z.uuid("This binding does not exist.");
/** Back to the same settings page after signing in again (only for a well-formed binding id). */
const returnTo = (raw: unknown) => {
  const id = bindingId.safeParse((raw as { bindingId?: unknown } | null)?.bindingId);
  return id.success ? settingsPath(id.data) : "/dashboard/bindings";
};

export const savePolicyAction = callAction(
  {
    name: "settings.save",
    access: "editSettings",
    returnTo,
    input: z.object({
      bindingId,
      baseVersion: z.number().int("This binding does not exist."),
      settings: z.record(z.string(), z.unknown()),
    }),
    unexpected: "Ledger could not save just now; nothing was changed. Try again in a moment.",
  },
  async (input, ctx) => {
    const r = await savePolicy({ tenantId: ctx.tenant.id, actorUserId: ctx.user.id, ...input });
    if (!r.ok) {
      const n = Object.keys(r.fields).length;
      throw new AppError("validation_failed", r.formError ?? `Not saved: ${n} ${n === 1 ? "field needs" : "fields need"} attention.`, {
        fields: r.fields,
      });
    }
    revalidatePath(settingsPath(input.bindingId));
    return { version: r.version, unchanged: r.unchanged, changed: r.changes.map((c) => c.key) };
  },
);

export const refreshReferenceAction = callAction(
  { name: "settings.refreshReference", access: "editSettings", returnTo, input: z.object({ bindingId }) },
  async (input, ctx) => {
    const binding = await db().binding.findFirst({
      where: { id: input.bindingId, tenantId: ctx.tenant.id },
      select: { id: true, sageConnectionId: true },
    });
    if (!binding) throw new AppError("not_found", "This binding does not exist.");
    if (!binding.sageConnectionId) throw new AppError("conflict", "Connect Sage first: the lists come from your Sage business.");
    try {
      await refreshReferenceData(binding.id);
    } catch (e) {
      log.warn({ err: e, bindingId: binding.id }, "reference refresh failed");
      throw new AppError("upstream_unavailable", "Sage did not answer; the lists shown are the last ones fetched. Try again in a minute.");
    }
    revalidatePath(settingsPath(binding.id));
    return "Sage accounts, tax rates and bank accounts refreshed.";
  },
);

export const loadPolicyVersionAction = callAction(
  {
    name: "settings.loadVersion",
    access: "read",
    returnTo,
    input: z.object({ bindingId: z.uuid("That version does not exist."), version: z.number().int("That version does not exist.") }),
  },
  async (input, ctx) => ({ settings: (await getPolicyVersion(ctx.tenant.id, input.bindingId, input.version)).settings }),
);

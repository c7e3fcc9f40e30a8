"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireTenantContext } from "@/lib/auth/context";
import { disconnectBinding } from "@/lib/bindings/disconnect";
import { isAppError } from "@/lib/errors";
import { childLog } from "@/lib/log";

const log = childLog({ component: "bindings.actions" });

export interface DisconnectState {
  error?: string;
}

/** Disconnect binding: the owner check happens in lib/bindings/disconnect.ts against the database. */
export async function disconnectBindingAction(_prev: DisconnectState, form: FormData): Promise<DisconnectState> {
  const bindingId = z.uuid().safeParse(form.get("bindingId"));
  const ctx = await requireTenantContext("read", "/dashboard/bindings");
  if (!bindingId.success) return { error: "This binding does not exist." };
  try {
    await disconnectBinding({ tenantId: ctx.tenant.id, bindingId: bindingId.data, actorUserId: ctx.user.id });
  } catch (e) {
    if (isAppError(e)) return { error: e.message };
    log.error({ err: e, bindingId: bindingId.data }, "disconnect failed");
    return { error: "Ledger could not finish disconnecting; part of it may be done. Try again — it is safe to repeat." };
  }
  revalidatePath("/dashboard", "layout");
  redirect(`/dashboard/bindings/${bindingId.data}?disconnected=1`);
}

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireTenantContext } from "@/lib/auth/context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { cancelBusinessSelection, chooseSageBusiness } from "@/lib/sage/business-selection";
import { bindingPagePath, connectPagePath } from "@/lib/sage/callback";
import { startSageConnect } from "@/lib/sage/connect";
import { isSageConnectError, type ConnectErrorCode } from "@/lib/sage/connect-errors";
import { disconnectSage } from "@/lib/sage/disconnect";

/** Server actions of the Connect Sage flow. Thin: the flow lives in lib/sage; failures land on the page as codes. */

const RETURN_TO = "/dashboard/connect-sage";
const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

/** Runs `work`; a Connect Sage failure becomes a redirect back to the page with its code. */
async function orBackToPage<T>(work: () => Promise<T>, where: { binding?: string; selection?: string }): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isSageConnectError(e)) throw e;
    const error: ConnectErrorCode = e.code;
    redirect(connectPagePath({ ...where, binding: e.bindingId ?? where.binding, error }));
  }
}

export async function startConnectAction(form: FormData): Promise<void> {
  const bindingId = field(form, "bindingId");
  const ctx = await requireTenantContext("manageConnections", RETURN_TO);
  const { authorizeUrl } = await orBackToPage(
    () => startSageConnect({ tenantId: ctx.tenant.id, userId: ctx.user.id, bindingId }),
    { binding: bindingId },
  );
  redirect(authorizeUrl);
}

export async function chooseBusinessAction(form: FormData): Promise<void> {
  const selectionId = field(form, "selectionId");
  const businessId = field(form, "businessId");
  const ctx = await requireTenantContext("manageConnections", RETURN_TO);
  const locked = await orBackToPage(
    () => chooseSageBusiness({ selectionId, businessId, userId: ctx.user.id, tenantId: ctx.tenant.id }),
    { selection: selectionId },
  );
  revalidatePath("/dashboard", "layout");
  redirect(`${bindingPagePath(locked.bindingId)}?connected=sage`);
}

export async function cancelSelectionAction(form: FormData): Promise<void> {
  const selectionId = field(form, "selectionId");
  const ctx = await requireTenantContext("manageConnections", RETURN_TO);
  const { bindingId } = await orBackToPage(
    () => cancelBusinessSelection({ selectionId, userId: ctx.user.id, tenantId: ctx.tenant.id }),
    { selection: selectionId },
  );
  redirect(connectPagePath({ binding: bindingId }));
}

/** For the binding page's "Disconnect Sage" button. */
export async function disconnectSageAction(form: FormData): Promise<void> {
  const bindingId = z.uuid().safeParse(field(form, "bindingId"));
  const ctx = await requireTenantContext("manageConnections", RETURN_TO);
  const binding = bindingId.success
    ? await db().binding.findFirst({ where: { id: bindingId.data, tenantId: ctx.tenant.id }, select: { id: true } })
    : null;
  if (!binding) throw new AppError("not_found", "This binding does not exist in this workspace.");
  await disconnectSage({ bindingId: binding.id, actorUserId: ctx.user.id });
  revalidatePath("/dashboard", "layout");
  redirect(`${bindingPagePath(binding.id)}?disconnected=sage`);
}

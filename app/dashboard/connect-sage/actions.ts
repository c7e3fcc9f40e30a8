"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { submitAction } from "@/lib/http/action";
import { cancelBusinessSelection, chooseSageBusiness } from "@/lib/bindings/sage-business";
import { bindingPagePath, connectPagePath } from "@/lib/bindings/sage-callback";
import { startSageConnect } from "@/lib/bindings/connect-sage";
import { isSageConnectError, type ConnectErrorCode } from "@/lib/sage/connect-errors";

/** Server actions of the Connect Sage flow. Thin: the flow lives in lib/sage; failures land on the page as codes. */

const spec = { access: "manageConnections", returnTo: "/dashboard/connect-sage" } as const;
const id = z.string().default("");

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

export const startConnectAction = submitAction(
  { ...spec, name: "sage.startConnect", input: z.object({ bindingId: id }) },
  async ({ bindingId }, ctx) => {
    const { authorizeUrl } = await orBackToPage(() => startSageConnect({ tenantId: ctx.tenant.id, userId: ctx.user.id, bindingId }), {
      binding: bindingId,
    });
    redirect(authorizeUrl);
  },
);

export const chooseBusinessAction = submitAction(
  { ...spec, name: "sage.chooseBusiness", input: z.object({ selectionId: id, businessId: id }) },
  async ({ selectionId, businessId }, ctx) => {
    const locked = await orBackToPage(() => chooseSageBusiness({ selectionId, businessId, userId: ctx.user.id, tenantId: ctx.tenant.id }), {
      selection: selectionId,
    });
    revalidatePath("/dashboard", "layout");
    redirect(`${bindingPagePath(locked.bindingId)}?connected=sage`);
  },
);

export const cancelSelectionAction = submitAction(
  { ...spec, name: "sage.cancelSelection", input: z.object({ selectionId: id }) },
  async ({ selectionId }, ctx) => {
    const { bindingId } = await orBackToPage(() => cancelBusinessSelection({ selectionId, userId: ctx.user.id, tenantId: ctx.tenant.id }), {
      selection: selectionId,
    });
    redirect(connectPagePath({ binding: bindingId }));
  },
);

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { disconnectBinding } from "@/lib/bindings/disconnect";
import { formAction } from "@/lib/http/action";

/** Disconnect binding (owners); lib/bindings/disconnect.ts re-checks the owner against the database. */
export const disconnectBindingAction = formAction(
  {
    name: "bindings.disconnect",
    access: "manageBindings",
    returnTo: "/dashboard/bindings",
    input: z.object({ bindingId: z.uuid("This binding does not exist.") }),
    unexpected: "Ledger could not finish disconnecting; part of it may be done. Try again — it is safe to repeat.",
  },
  async ({ bindingId }, ctx) => {
    await disconnectBinding({ tenantId: ctx.tenant.id, bindingId, actorUserId: ctx.user.id });
    revalidatePath("/dashboard", "layout");
    redirect(`/dashboard/bindings/${bindingId}?disconnected=1`);
  },
);

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formAction } from "@/lib/http/action";
import { periodInput } from "@/lib/reconciliation/period";
import { requestReconciliation } from "@/lib/reconciliation/request";

/** "Run now": reconcile one binding's period. Tenant and role come from the session; the binding must be this workspace's. */
export const startReconciliationAction = formAction(
  {
    name: "reconciliation.start",
    access: "reconcile",
    returnTo: "/dashboard/reconciliation",
    input: z.object({ bindingId: z.uuid("Choose a store connection."), start: z.iso.date(), end: z.iso.date() }),
  },
  async ({ bindingId, start, end }, ctx) => {
    const parsed = periodInput.safeParse({ start, end });
    if (!parsed.success) throw new AppError("validation_failed", parsed.error.issues[0].message);
    const period = parsed.data;
    const { id } = await requestReconciliation({ tenantId: ctx.tenant.id, bindingId, period, trigger: "manual", userId: ctx.user.id });
    revalidatePath("/dashboard/reconciliation");
    return id;
  },
);

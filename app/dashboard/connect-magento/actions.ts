"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { formAction } from "@/lib/http/action";
import { connectMagento } from "@/lib/bindings/connect-magento";

/** Connect Magento (admin capability): pair, then continue on the new binding's page. */
export const connectMagentoAction = formAction(
  {
    name: "magento.connect",
    access: "manageConnections",
    returnTo: "/dashboard/connect-magento",
    input: z.object({ magentoBaseUrl: z.string().max(2048).default(""), pairingCode: z.string().max(256).default("") }),
    echo: ["magentoBaseUrl"],
  },
  async (input, ctx) => {
    const result = await connectMagento({ tenantId: ctx.tenant.id, userId: ctx.user.id, ...input });
    if (!result.ok) {
      // A store that redirected to an address that does answer: offered as a one-click fix.
      const suggestions = result.suggestedBaseUrl ? { magentoBaseUrl: result.suggestedBaseUrl } : undefined;
      throw new AppError(result.fields ? "validation_failed" : "bad_request", result.message, { fields: result.fields, suggestions });
    }
    revalidatePath("/dashboard", "layout");
    redirect(`/dashboard/bindings/${result.bindingId}`);
  },
);

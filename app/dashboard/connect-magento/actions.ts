"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireTenantContext } from "@/lib/auth/context";
import { isAppError } from "@/lib/errors";
import { connectMagento } from "@/lib/magento/connect";
import { revokeMagentoConnection } from "@/lib/magento/disconnect";

export interface ConnectMagentoFormState {
  error?: string;
  fields?: Record<string, string>;
  values?: { magentoBaseUrl: string };
  /** When the store redirected to an address that does answer: offered as a one-click fix. */
  suggestedBaseUrl?: string;
}

const connectForm = z.object({
  magentoBaseUrl: z.string().max(2048).default(""),
  pairingCode: z.string().max(256).default(""),
});

/** Connect Magento (admin capability): pair, then continue on the new binding's page. */
export async function connectMagentoAction(_prev: ConnectMagentoFormState, form: FormData): Promise<ConnectMagentoFormState> {
  const ctx = await requireTenantContext("manageConnections", "/dashboard/connect-magento");
  const input = connectForm.parse({ magentoBaseUrl: form.get("magentoBaseUrl") ?? undefined, pairingCode: form.get("pairingCode") ?? undefined });
  const values = { magentoBaseUrl: input.magentoBaseUrl };
  let result;
  try {
    result = await connectMagento({ tenantId: ctx.tenant.id, userId: ctx.user.id, ...input });
  } catch (e) {
    if (isAppError(e)) return { error: e.message, values };
    throw e;
  }
  if (!result.ok) {
    const fields = result.fields ? Object.fromEntries(Object.entries(result.fields).map(([k, v]) => [k, v.message])) : undefined;
    return { error: result.message, fields, values, suggestedBaseUrl: result.suggestedBaseUrl };
  }
  revalidatePath("/dashboard", "layout");
  redirect(`/dashboard/bindings/${result.bindingId}`);
}

/** Dashboard "Disconnect store": revokes the connection and its bindings (lib/magento/disconnect.ts). */
export async function disconnectMagentoAction(form: FormData): Promise<void> {
  const ctx = await requireTenantContext("manageConnections", "/dashboard/bindings");
  const connectionId = z.uuid().parse(form.get("connectionId"));
  await revokeMagentoConnection(connectionId, ctx.user.id);
  revalidatePath("/dashboard", "layout");
}

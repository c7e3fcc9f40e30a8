"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { sendTestAlert } from "@/lib/notifications/digest";
import { ALERT_KINDS, type AlertKind } from "@/lib/alerts/kinds";
import { savePreferences, type KindChoices } from "@/lib/notifications/preferences";
import { removeWebhook, rotateWebhookSecret, setWebhook, webhookUrl } from "@/lib/notifications/webhook";
import { can } from "@/lib/auth/roles";
import type { TenantContext } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";
import { formAction } from "@/lib/http/action";

/**
 * Alerts page actions. Every member chooses their own alerts (read access, their own row only); the
 * workspace webhook is the owners' (manageAlertWebhook). All act on the caller's current tenant only.
 */

const PATH = "/dashboard/alerts";

/** Every form carries the workspace it was shown for: after a switch in another tab it acts on none. */
const workspace = { tenantId: z.uuid("Reload the page: it was for another workspace.") };

function sameWorkspace(input: { tenantId: string }, ctx: TenantContext): void {
  if (input.tenantId !== ctx.tenant.id) {
    throw new AppError("conflict", `This page was for another workspace; you are now in ${ctx.tenant.name}. Reload it.`);
  }
}

export const savePreferencesAction = formAction(
  {
    name: "alerts.savePreferences",
    access: "read",
    returnTo: PATH,
    // One checkbox per kind; an unticked box is simply absent from the form.
    input: z.object({ ...workspace, kinds: z.union([z.array(z.enum(ALERT_KINDS)), z.enum(ALERT_KINDS)]).optional() }),
  },
  async (input, ctx) => {
    sameWorkspace(input, ctx);
    const ticked = new Set(input.kinds === undefined ? [] : Array.isArray(input.kinds) ? input.kinds : [input.kinds]);
    const choices = Object.fromEntries(ALERT_KINDS.map((k: AlertKind) => [k, ticked.has(k)])) as KindChoices;
    await savePreferences(ctx.tenant.id, ctx.user.id, choices);
    revalidatePath(PATH);
    return "Your alert choices are saved.";
  },
);

export const setWebhookAction = formAction(
  {
    name: "alerts.setWebhook",
    access: "manageAlertWebhook",
    returnTo: PATH,
    input: z.object({ ...workspace, url: webhookUrl }),
    echo: ["url"],
  },
  async (input, ctx) => {
    sameWorkspace(input, ctx);
    const { secret } = await setWebhook(ctx.tenant.id, input.url);
    revalidatePath(PATH);
    return {
      message: secret
        ? "Webhook saved. Copy its signing secret now: it is shown only once."
        : "Webhook URL changed; the secret stays the same.",
      secret,
    };
  },
);

export const rotateWebhookSecretAction = formAction(
  { name: "alerts.rotateWebhookSecret", access: "manageAlertWebhook", returnTo: PATH, input: z.object(workspace) },
  async (input, ctx) => {
    sameWorkspace(input, ctx);
    const { secret } = await rotateWebhookSecret(ctx.tenant.id);
    return { message: "New signing secret: alerts are signed with it from now on. Copy it now: it is shown only once.", secret };
  },
);

export const removeWebhookAction = formAction(
  { name: "alerts.removeWebhook", access: "manageAlertWebhook", returnTo: PATH, input: z.object(workspace) },
  async (input, ctx) => {
    sameWorkspace(input, ctx);
    await removeWebhook(ctx.tenant.id);
    revalidatePath(PATH);
    return { message: "Webhook removed: alerts go by email only.", secret: null };
  },
);

export const sendTestAlertAction = formAction(
  { name: "alerts.sendTest", access: "read", returnTo: PATH, input: z.object(workspace) },
  async (input, ctx) => {
    sameWorkspace(input, ctx);
    // The test goes to the caller; to the workspace webhook too when the caller is who manages it.
    const { deliveries } = await sendTestAlert(ctx.tenant.id, ctx.user.email, new Date(), can(ctx.role, "manageAlertWebhook"));
    revalidatePath(`${PATH}/log`);
    return deliveries
      ? "Test alert on its way: see the alert log for whether it arrived."
      : "Nothing was sent: email is off (no LEDGER_SMTP_URL) and no webhook is set. The alert log shows the attempt.";
  },
);

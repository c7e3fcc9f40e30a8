import { jsonResponse, route } from "@/lib/http/route";
import { receiveWebhookRequest } from "@/lib/intake/receive";

/**
 * Magento's outbox posts every event here (wire-protocol §4.1 #1). 202 `{sync_run_id}` for a new
 * delivery, 200 with the original id for a repeat of a key already handled; 4xx only for permanent
 * problems (Magento dead-letters them), 503 for anything worth retrying.
 */
export const POST = route(
  "webhooks.magento",
  async (req: Request, ctx: { params: Promise<{ connectionId: string; event: string }> }) => {
    const accepted = await receiveWebhookRequest(req, await ctx.params);
    return jsonResponse({ sync_run_id: accepted.syncRunId }, accepted.duplicate ? 200 : 202);
  },
  { tinyMachineAnswers: true },
);

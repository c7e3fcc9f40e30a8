import { Inngest } from "inngest";
import { childLog } from "@/lib/log";

/**
 * The one Inngest client. Which server it talks to is chosen by environment only:
 * - development, CI and the demo: `INNGEST_DEV=http://127.0.0.1:8288` (the embedded executor in
 *   tools/inngest-local, unsigned dev mode) or `INNGEST_BASE_URL` + keys (signed mode);
 * - production: Inngest Cloud (`INNGEST_SIGNING_KEY`, `INNGEST_EVENT_KEY`) or a self-hosted
 *   `inngest start` (additionally `INNGEST_BASE_URL`).
 * SDK logs go through our structured logger (redaction included) instead of the console.
 */
export const inngest = new Inngest({ id: "ledger", logger: childLog({ component: "inngest" }) });

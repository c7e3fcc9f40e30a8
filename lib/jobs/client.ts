import { Inngest } from "inngest";
import { childLog } from "@/lib/log";
import { unsignedAllowed } from "./signed";

/**
 * The one Inngest client. Which server it talks to is chosen by environment only:
 * - production: Inngest Cloud (`INNGEST_SIGNING_KEY`, `INNGEST_EVENT_KEY`) or a self-hosted
 *   `inngest start` (the same two keys plus `INNGEST_BASE_URL`);
 * - the stack, the demo, tests and benchmarks: the embedded executor (tools/inngest-local) in signed
 *   mode, exactly like a self-hosted Inngest (`INNGEST_BASE_URL` + keys);
 * - `next dev` only: `INNGEST_DEV=…` (a dev server, unsigned).
 * Outside `next dev` the client is pinned to cloud mode, so the SDK verifies every request's
 * signature whatever INNGEST_DEV says (lib/env.ts refuses that variable there anyway; lib/jobs/signed.ts).
 * SDK logs go through our structured logger (redaction included) instead of the console.
 */
export const inngest = new Inngest({
  id: "ledger",
  logger: childLog({ component: "inngest" }),
  ...(unsignedAllowed() ? {} : { isDev: false }),
});

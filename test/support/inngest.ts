import { hashSigningKey } from "@/tools/inngest-local/signing";

/**
 * Test-only: the app under test talks to the embedded executor in signed mode, as it would to a
 * self-hosted Inngest — the executor signs every call to /api/inngest with INNGEST_SIGNING_KEY, and
 * the app sends events with INNGEST_EVENT_KEY to INNGEST_BASE_URL. Keys come from test/support/env.ts.
 */

export function signingKeys(): { signingKey: string; eventKey: string } {
  const signingKey = process.env.INNGEST_SIGNING_KEY;
  const eventKey = process.env.INNGEST_EVENT_KEY;
  if (!signingKey || !eventKey) throw new Error("INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY must be set (import @/test/support/env first)");
  return { signingKey, eventKey };
}

/** The environment an app process needs to use the executor at `executorUrl`. */
export function appInngestEnv(executorUrl: string): Record<string, string> {
  const { signingKey, eventKey } = signingKeys();
  return { INNGEST_BASE_URL: executorUrl, INNGEST_SIGNING_KEY: signingKey, INNGEST_EVENT_KEY: eventKey };
}

/**
 * Points this process's app at the executor: the environment for modules imported from now on, and
 * the Inngest client itself (it reads its environment once, when constructed — possibly earlier in
 * this test file, for another executor).
 */
export async function pointAppAtExecutor(executorUrl: string): Promise<void> {
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, appInngestEnv(executorUrl));
  const { inngest } = await import("@/lib/jobs/client");
  inngest.setEnvVars(appInngestEnv(executorUrl));
}

/** Headers for the executor's own API (/v0, /v1), which signed mode protects with the hashed key. */
export function executorAuth(): Record<string, string> {
  return { authorization: `Bearer ${hashSigningKey(signingKeys().signingKey)}` };
}

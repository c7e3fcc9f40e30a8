import type { Child } from "./children";

/**
 * The stack's start-up wait for the app: poll `GET /api/ready` until it answers 200 (database
 * reachable, migrations applied, Inngest reachable — see lib/readiness). On timeout the error
 * names the checks still failing, which says what to fix far better than "no answer".
 */

interface ReadyBody {
  status?: string;
  checks?: Record<string, { status?: string; detail?: string }>;
}

export function failingChecks(body: ReadyBody): string {
  const failing = Object.entries(body.checks ?? {}).filter(([, c]) => c.status !== "ok");
  return failing.length ? failing.map(([name, c]) => `${name}: ${c.detail ?? c.status}`).join("; ") : `status ${body.status ?? "unknown"}`;
}

export async function waitForReady(appUrl: string, opts: { timeoutMs: number; child?: Child; label: string }): Promise<void> {
  const url = `${appUrl}/api/ready`;
  const until = Date.now() + opts.timeoutMs;
  let exitCode: number | null | undefined;
  opts.child?.exited.then((c) => {
    exitCode = c;
  });
  let last = "no answer";
  while (Date.now() < until) {
    if (exitCode !== undefined) {
      throw new Error(`${opts.label} exited (${exitCode}) before it was ready:\n${opts.child?.tail().slice(-12).join("\n")}`);
    }
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      if (res.status === 200) return;
      try {
        last = `HTTP ${res.status} — ${failingChecks(JSON.parse(text) as ReadyBody)}`;
      } catch {
        last = `HTTP ${res.status}`;
      }
    } catch (e) {
      last = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${opts.label} was not ready at ${url} within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`);
}

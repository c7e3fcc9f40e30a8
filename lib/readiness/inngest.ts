import { createHash } from "node:crypto";
import { inngestEnv } from "@/lib/env";
import { timed, type CheckResult } from "./checks";

/**
 * Inngest readiness: the server our functions run on answers. Which server that is follows the SDK's
 * own rules (INNGEST_DEV, INNGEST_API_BASE_URL / INNGEST_BASE_URL, else Inngest Cloud), so the check
 * probes exactly what `inngest.send()` would talk to. Where the server says which apps it has
 * registered without credentials (the embedded executor, Inngest's dev server), the answer is
 * reported too; a server that is up but has not synced the app yet still counts as reachable — it
 * re-syncs on its own, and events sent meanwhile are queued.
 */

const TIMEOUT_MS = 2500;
const CLOUD_API = "https://api.inngest.com";

export type InngestMode = "dev" | "self_hosted" | "cloud";

export interface InngestTarget {
  mode: InngestMode;
  base: string;
}

const isUrl = (v: string) => /^https?:\/\//i.test(v);
const trim = (u: string) => u.replace(/\/+$/, "");

/** Where the SDK sends API calls, by its own precedence (inngest@4 `helpers/env` and `helpers/url`). */
export function inngestTarget(env: Record<string, string | undefined>): InngestTarget {
  const dev = env.INNGEST_DEV?.trim() ?? "";
  const explicit = env.INNGEST_API_BASE_URL?.trim() || env.INNGEST_BASE_URL?.trim() || "";
  if (isUrl(dev)) return { mode: "dev", base: trim(explicit || dev) };
  if (dev === "1" || dev.toLowerCase() === "true") return { mode: "dev", base: trim(explicit || "http://localhost:8288") };
  if (explicit) return { mode: "self_hosted", base: trim(explicit) };
  return { mode: "cloud", base: CLOUD_API };
}

/**
 * The bearer token an Inngest server accepts from the SDK: `signkey-<env>-` + sha256 of the hex key
 * (inngest@4 `helpers/strings.ts` hashSigningKey). Only its hash leaves the process.
 */
export function signingKeyBearer(signingKey: string): string {
  const prefix = /^signkey-\w+-/.exec(signingKey)?.[0] ?? "";
  return `${prefix}${createHash("sha256")
    .update(Buffer.from(signingKey.slice(prefix.length), "hex"))
    .digest("hex")}`;
}

async function registeredApps(base: string, signingKey: string | undefined, fetchImpl: typeof fetch): Promise<string[] | null> {
  try {
    const headers: Record<string, string> = signingKey ? { authorization: `Bearer ${signingKeyBearer(signingKey)}` } : {};
    const r = await fetchImpl(`${base}/v0/apps`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!r.ok) return null;
    const body = (await r.json()) as { data?: { url?: unknown }[] };
    return Array.isArray(body.data) ? body.data.map((a) => String(a.url ?? "")) : null;
  } catch {
    return null;
  }
}

export function inngestCheck(
  env: Record<string, string | undefined> = inngestEnv(),
  fetchImpl: typeof fetch = fetch,
): Promise<CheckResult> {
  const target = inngestTarget(env);
  return timed(
    async () => {
      const r = await fetchImpl(`${target.base}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
      await r.arrayBuffer().catch(() => undefined);
      if (r.status >= 500) return { status: "fail", detail: `the Inngest server answers with HTTP ${r.status}`, mode: target.mode };
      // Inngest Cloud has no such listing; a local or self-hosted server may (the embedded executor does).
      const apps =
        target.mode === "cloud"
          ? null
          : await registeredApps(target.base, target.mode === "dev" ? undefined : env.INNGEST_SIGNING_KEY, fetchImpl);
      const registered = apps ? apps.some((u) => /\/api\/inngest\/?(\?|$)/.test(u)) : undefined;
      const detail =
        registered === false ? "the Inngest server is reachable; it has not synced this app yet" : "the Inngest server is reachable";
      return { status: "ok", detail, mode: target.mode, ...(registered === undefined ? {} : { registered }) };
    },
    (code) => `the Inngest server cannot be reached (${code})`,
  );
}

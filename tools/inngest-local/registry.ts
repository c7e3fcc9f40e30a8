import { z } from "zod";
import { validateFunctionConfig } from "./config.ts";
import { syncCrons } from "./crons.ts";
import { withTx } from "./db.ts";
import type { FnRow } from "./runs.ts";
import { canonicalJson, sign, verify } from "./signing.ts";
import type { ExecutorContext } from "./types.ts";

/** The body of `POST /fn/register` (out-of-band) or of an in-band sync response. */
const registerBody = z.looseObject({
  url: z.string().min(1),
  appName: z.string().min(1).optional(),
  app_id: z.string().min(1).optional(),
  framework: z.string().optional(),
  sdk: z.string().optional(),
  functions: z.array(z.unknown()),
});

export interface RegisterResult {
  status: number;
  appId: string;
  registered: string[];
  refused: Array<{ id: string; reasons: string[] }>;
  error?: string;
}

/**
 * Registers an app's functions. The app's set is swapped in one transaction (protocol §3.4-1),
 * so a worker never sees a function missing mid-sync. Functions using config outside the
 * allow-list are refused — not stored — and reported in the response and the log.
 */
export async function registerApp(ctx: ExecutorContext, raw: unknown): Promise<RegisterResult> {
  const parsed = registerBody.safeParse(raw);
  if (!parsed.success) {
    return { status: 400, appId: "", registered: [], refused: [], error: `invalid register body: ${parsed.error.message}` };
  }
  const body = parsed.data;
  const appId = body.appName ?? body.app_id ?? "";
  if (!appId) return { status: 400, appId, registered: [], refused: [], error: "register body names no app" };
  const accepted: FnRow[] = [];
  const refused: RegisterResult["refused"] = [];
  for (const fn of body.functions) {
    const result = validateFunctionConfig(fn);
    if (result.ok) accepted.push({ id: result.config.id, url: result.config.steps.step.runtime.url, config: result.config });
    else refused.push({ id: result.id, reasons: result.reasons });
  }
  await withTx(ctx.pool, async (db) => {
    await db.query(
      `INSERT INTO inngest_local.apps (app_id, url, sdk, framework, synced_at, refused) VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (app_id) DO UPDATE SET url = EXCLUDED.url, sdk = EXCLUDED.sdk, framework = EXCLUDED.framework,
         synced_at = now(), refused = EXCLUDED.refused`,
      [appId, body.url, body.sdk ?? null, body.framework ?? null, JSON.stringify(refused)],
    );
    const removed = await db.query<{ id: string }>(
      "DELETE FROM inngest_local.functions WHERE app_id = $1 AND NOT (id = ANY($2)) RETURNING id",
      [appId, accepted.map((f) => f.id)],
    );
    for (const fn of accepted) {
      await db.query(
        `INSERT INTO inngest_local.functions (id, app_id, name, url, config, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (id) DO UPDATE SET app_id = EXCLUDED.app_id, name = EXCLUDED.name, url = EXCLUDED.url,
           config = EXCLUDED.config, updated_at = now()`,
        [fn.id, appId, fn.config.name ?? null, fn.url, JSON.stringify(fn.config)],
      );
    }
    await db.query("DELETE FROM inngest_local.crons WHERE fn_id = ANY($1)", [removed.rows.map((r) => r.id)]);
    await syncCrons(db, accepted);
  });
  const result: RegisterResult = { status: 200, appId, registered: accepted.map((f) => f.id), refused };
  if (refused.length > 0) {
    result.status = 400;
    result.error = `inngest-local refused ${refused.length} function(s): ${refused
      .map((r) => `${r.id}: ${r.reasons.join("; ")}`)
      .join(" | ")}`;
    ctx.log.error({ appId, refused }, "inngest-local: REFUSED function config it does not implement");
  }
  ctx.log.info({ appId, url: body.url, functions: result.registered.length }, "inngest-local: app registered");
  return result;
}

export type SyncMode = "out_of_band" | "in_band";

export interface SyncResult {
  ok: boolean;
  status: number;
  message: string;
}

/**
 * Syncs an app as the dev server does. Out-of-band: `PUT <serve url>`, to which the SDK answers
 * by POSTing `/fn/register` here. In-band: a signed PUT with `x-inngest-sync-kind: in_band`, to
 * which the SDK answers with its function list directly.
 */
export async function syncApp(ctx: ExecutorContext, url: string, mode: SyncMode): Promise<SyncResult> {
  const signingKey = ctx.opts.signingKeys[0];
  const payload = mode === "in_band" ? canonicalJson({ url }) : "";
  const headers: Record<string, string> = { "x-inngest-sync-kind": mode };
  if (mode === "in_band") headers["content-type"] = "application/json";
  if (signingKey) headers["x-inngest-signature"] = sign(payload, signingKey);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: "PUT", headers, body: payload || undefined, signal: AbortSignal.timeout(30_000) });
    text = await res.text();
  } catch (err) {
    return { ok: false, status: 0, message: `sync of ${url} failed: ${(err as Error).message}` };
  }
  if (mode === "in_band" && res.headers.get("x-inngest-sync-kind") === "in_band" && res.ok) {
    if (signingKey) {
      const check = verify(res.headers.get("x-inngest-signature"), text, ctx.opts.signingKeys);
      if (!check.ok) return { ok: false, status: 401, message: `in-band sync response rejected: ${check.reason}` };
    }
    const result = await registerApp(ctx, JSON.parse(text) as unknown);
    return { ok: result.status === 200, status: result.status, message: result.error ?? "Successfully registered" };
  }
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // keep the raw text
  }
  if (!res.ok) ctx.log.error({ url, status: res.status, message }, "inngest-local: app sync failed");
  return { ok: res.ok, status: res.status, message };
}

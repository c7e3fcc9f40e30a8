import { startSageEmulator, type SageEmulator } from "./emulator.ts";
import type { SageEmulatorOptions } from "./config.ts";
import { DEMO_BUSINESS_ID } from "./seed.ts";

/**
 * Shared helpers for the emulator's integration tests: a real emulator on an ephemeral port
 * against the test database, talked to over HTTP only.
 */
export const TEST_DATABASE_URL =
  process.env.SAGE_EMU_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/ledger_sage_test";

export async function startTestEmulator(opts: Partial<SageEmulatorOptions> = {}): Promise<SageEmulator> {
  return startSageEmulator({ databaseUrl: TEST_DATABASE_URL, port: 0, ensureDatabase: true, rateLimitPerMinute: 0, ...opts });
}

export interface Res<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers name the body type they assert on
export async function call<T = any>(url: string, init: RequestInit = {}): Promise<Res<T>> {
  const r = await fetch(url, { redirect: "manual", ...init });
  const text = await r.text();
  let body: unknown = text;
  if ((r.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
  return { status: r.status, headers: r.headers, body: body as T };
}

export const admin = (emu: SageEmulator, method: string, path: string, body?: unknown) =>
  call(`${emu.url}/_admin${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

export async function resetAll(emu: SageEmulator): Promise<void> {
  await admin(emu, "POST", "/reset", { data: true, tokens: true });
}

export async function adminToken(emu: SageEmulator, scope = "full_access", businessId = DEMO_BUSINESS_ID): Promise<string> {
  const r = await admin(emu, "POST", "/tokens", { business_id: businessId, scope });
  return (r.body as { access_token: string }).access_token;
}

/** A Sage API client bound to one token and business. */
export function sage(emu: SageEmulator, token: string, business = DEMO_BUSINESS_ID) {
  const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(`${emu.url}/v3.1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "x-business": business,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    get: (path: string) => req("GET", path),
    post: (path: string, body: unknown) => req("POST", path, body),
    put: (path: string, body: unknown) => req("PUT", path, body),
    del: (path: string) => req("DELETE", path),
    raw: req,
  };
}
export type SageClient = ReturnType<typeof sage>;

/** Looks up a seeded ledger account id by nominal code. */
export async function ledgerId(api: SageClient, code: number): Promise<string> {
  const r = await api.get(`/ledger_accounts?attributes=nominal_code&items_per_page=200`);
  const found = (r.body as { $items: { id: string; nominal_code: number }[] }).$items.find((l) => l.nominal_code === code);
  if (!found) throw new Error(`no ledger account ${code}`);
  return found.id;
}

export async function bankId(api: SageClient, code = 1200): Promise<string> {
  const r = await api.get(`/bank_accounts?attributes=nominal_code`);
  const found = (r.body as { $items: { id: string; nominal_code: number }[] }).$items.find((b) => b.nominal_code === code);
  if (!found) throw new Error(`no bank account ${code}`);
  return found.id;
}

import { readFileSync, writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import type pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { REFERENCE } from "../lib/bindings/test-support/reference";
import { defaultPolicy } from "../lib/policy/schema";

/**
 * Seed for the merchant-side specs (settings, bindings, members, embed): one workspace of its own so
 * other specs' data never changes what these pages show. Written with plain SQL, the way the app's
 * own flows would leave the rows (pairing, Connect Sage, the sync engine).
 */

export const MERCHANT = {
  tenant: "Harbour Goods",
  owner: { email: "owner@harbour.test", password: "harbour-owner-password", name: "Hana Owner" },
  admin: { email: "admin@harbour.test", password: "harbour-admin-password", name: "Ade Admin" },
  viewer: { email: "viewer@harbour.test", password: "harbour-viewer-password", name: "Vic Viewer" },
  store: "https://harbour.example",
  pendingStore: "https://outlet.harbour.example",
  popupStore: "https://popup.harbour.example",
  business: "Harbour Goods Ltd",
};
export const MERCHANT_SEED_FILE = "test-results/seed-merchant.json";

export interface MerchantSeed {
  tenantId: string;
  ownerId: string;
  bindingId: string;
  pendingBindingId: string;
  popupBindingId: string;
}

type Client = pg.Client;

async function insert(c: Client, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await c.query<{ id: string }>(sql, params);
  return rows[0].id;
}

async function user(c: Client, tenantId: string, who: { email: string; password: string; name: string }, role: string): Promise<string> {
  const id = await insert(c, "insert into users (id, email, name, password_hash, updated_at) values (gen_random_uuid(), $1, $2, $3, now()) returning id", [
    who.email,
    who.name,
    await hashPassword(who.password),
  ]);
  await c.query("insert into memberships (id, tenant_id, user_id, role) values (gen_random_uuid(), $1, $2, $3)", [tenantId, id, role]);
  return id;
}

/** A paired store with Sage connected (or not), its reference cache and the initial policy. */
async function binding(c: Client, tenantId: string, baseUrl: string, sage: string | null): Promise<string> {
  const magentoId = await insert(
    c,
    "insert into magento_connections (id, tenant_id, base_url, status, paired_at, updated_at) values (gen_random_uuid(), $1, $2, 'active', now() - interval '20 days', now()) returning id",
    [tenantId, baseUrl],
  );
  const sageId = sage
    ? await insert(c, "insert into sage_connections (id, tenant_id, business_id, business_name, region, status, updated_at) values (gen_random_uuid(), $1, $2, $3, 'uk', 'active', now()) returning id", [
        tenantId,
        `biz-${baseUrl}`,
        sage,
      ])
    : null;
  const id = await insert(
    c,
    "insert into bindings (id, tenant_id, magento_connection_id, sage_connection_id, status, updated_at) values (gen_random_uuid(), $1, $2, $3, $4, now()) returning id",
    [tenantId, magentoId, sageId, sage ? "active" : "pending_sage"],
  );
  await c.query("insert into sync_policies (id, binding_id, version, settings, changes) values (gen_random_uuid(), $1, 1, $2, '[]')", [id, JSON.stringify(defaultPolicy())]);
  if (sage) {
    for (const [kind, items] of Object.entries(REFERENCE)) {
      await c.query("insert into sage_reference_data (id, binding_id, kind, items, fetched_at) values (gen_random_uuid(), $1, $2, $3, now() - interval '12 minutes')", [id, kind, JSON.stringify(items)]);
    }
  }
  return id;
}

/** Two weeks of runs with every outcome, so Home's chart and numbers have something to show. */
async function runs(c: Client, tenantId: string, bindingId: string): Promise<void> {
  const plan: [number, string][] = [];
  for (let day = 13; day >= 0; day--) {
    for (let i = 0; i < (day * 7) % 5 + 1; i++) plan.push([day, "succeeded"]);
    if (day % 4 === 1) plan.push([day, "skipped_by_policy"]);
    if (day % 6 === 2) plan.push([day, "failed"]);
  }
  plan.push([0, "failed"], [0, "failed"], [0, "queued"]);
  let n = 0;
  for (const [day, status] of plan) {
    n += 1;
    const terminal = status !== "queued";
    await c.query(
      `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, magento_increment_id, idempotency_key, status,
         reason_code, error_class, error_message, provider_reference, provider_entity_id, policy_version, policy_snapshot, created_at, finished_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'invoice.created', 'invoice', $3::int, $4, $5, $6, $7, $8, $9, $10, $11, 1, '{}',
         now() - make_interval(days => $12, mins => $3::int), case when $13 then now() - make_interval(days => $12, mins => $3::int) end, now())`,
      [
        tenantId,
        bindingId,
        n,
        `0000${1000 + n}`,
        `seed-${n}`,
        status,
        status === "skipped_by_policy" ? "unpaid_invoice" : null,
        status === "failed" ? "validation" : null,
        status === "failed" ? "Tax rate GB_OLD is not valid" : null,
        status === "succeeded" ? `SI-${n}` : null,
        status === "succeeded" ? `sage-inv-${n}` : null,
        day,
        terminal,
      ],
    );
  }
}

/** Sign in through the real form and land on the dashboard. */
export async function signInAs(page: Page, who: { email: string; password: string }, callbackUrl?: string): Promise<void> {
  await page.goto(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

export const merchantSeed = (): MerchantSeed => JSON.parse(readFileSync(MERCHANT_SEED_FILE, "utf8"));

export async function seedMerchant(c: Client): Promise<MerchantSeed> {
  const tenantId = await insert(c, "insert into tenants (id, name, plan_tier, updated_at) values (gen_random_uuid(), $1, 'growth', now()) returning id", [MERCHANT.tenant]);
  const ownerId = await user(c, tenantId, MERCHANT.owner, "owner");
  await user(c, tenantId, MERCHANT.admin, "admin");
  await user(c, tenantId, MERCHANT.viewer, "viewer");
  const bindingId = await binding(c, tenantId, MERCHANT.store, MERCHANT.business);
  const pendingBindingId = await binding(c, tenantId, MERCHANT.pendingStore, null);
  const popupBindingId = await binding(c, tenantId, MERCHANT.popupStore, "Harbour Pop-up Ltd");
  // The owner reviewed the settings once (the checklist's third step) …
  // The bank account it picked has since been closed in Sage, so the editor shows "(missing) BA_CLOSED".
  const reviewed = { ...defaultPolicy(), default_tax_rate_id: "GB_STANDARD", default_ledger_account_id: "LA_4000", default_bank_account_id: "BA_CLOSED" };
  await c.query("insert into sync_policies (id, binding_id, version, settings, saved_by_id, changes) values (gen_random_uuid(), $1, 2, $2, $3, $4)", [
    bindingId,
    JSON.stringify(reviewed),
    ownerId,
    JSON.stringify([
      { key: "default_tax_rate_id", before: null, after: "GB_STANDARD" },
      { key: "default_ledger_account_id", before: null, after: "LA_4000" },
      { key: "default_bank_account_id", before: null, after: "BA_CLOSED" },
    ]),
  ]);
  // … and invoices have been syncing for two weeks.
  await runs(c, tenantId, bindingId);
  const seed = { tenantId, ownerId, bindingId, pendingBindingId, popupBindingId };
  writeFileSync(MERCHANT_SEED_FILE, JSON.stringify(seed));
  return seed;
}

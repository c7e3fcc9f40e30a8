import { readFileSync, writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { defaultPolicy } from "../lib/policy/schema";
import type { RunStatusName } from "../lib/status-views/vocabulary";
import type { RunSpec } from "../test/support/builders/runs";

/**
 * Seed for the merchant-side specs (settings, bindings, members, embed): one workspace of its own so
 * other specs' data never changes what these pages show. Built with the integration tests' builders
 * (test/support/builders), the way the app's own flows leave the rows (pairing, Connect Sage, the
 * sync engine); they are imported only when seeding, so the specs importing this file never load
 * the database client.
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

/** Two weeks of runs with every outcome, so Home's chart and numbers have something to show. */
function runPlan(bindingId: string): RunSpec[] {
  const plan: [number, RunStatusName][] = [];
  for (let day = 13; day >= 0; day--) {
    for (let i = 0; i < ((day * 7) % 5) + 1; i++) plan.push([day, "succeeded"]);
    if (day % 4 === 1) plan.push([day, "skipped_by_policy"]);
    if (day % 6 === 2) plan.push([day, "failed"]);
  }
  plan.push([0, "failed"], [0, "failed"], [0, "queued"]);
  return plan.map(([day, status], i) => {
    const n = i + 1;
    const createdAt = new Date(Date.now() - day * 86_400_000 - n * 60_000);
    return {
      bindingId,
      event: "invoice.created",
      entityId: n,
      incrementId: `0000${1000 + n}`,
      idempotencyKey: `seed-${n}`,
      status,
      reasonCode: status === "skipped_by_policy" ? "unpaid_invoice" : undefined,
      errorClass: status === "failed" ? "validation" : undefined,
      errorMessage: status === "failed" ? "Tax rate GB_OLD is not valid" : undefined,
      providerReference: status === "succeeded" ? `SI-${n}` : undefined,
      providerEntityId: status === "succeeded" ? `sage-inv-${n}` : undefined,
      attemptCount: 0,
      createdAt,
      finishedAt: status === "queued" ? null : createdAt,
    };
  });
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

export async function seedMerchant(): Promise<MerchantSeed> {
  const [{ addPolicyVersion, makeBinding, makeMember, makeTenant }, { insertRuns }] = await Promise.all([
    import("../test/support/builders/workspace"),
    import("../test/support/builders/runs"),
  ]);
  const member = async (tenantId: string, who: { email: string; password: string; name: string }, role: "owner" | "admin" | "viewer") =>
    (await makeMember(tenantId, role, who.email, { name: who.name, password: who.password })).user.id;
  /** A store paired 20 days ago with Sage connected (or not), the initial policy and a 12-minute-old reference cache. */
  const binding = async (tenantId: string, baseUrl: string, business: string | null) =>
    (
      await makeBinding(tenantId, {
        baseUrl,
        pairedAt: new Date(Date.now() - 20 * 86_400_000),
        businessId: `biz-${baseUrl}`,
        sage: business ? { businessName: business, region: "uk", status: "active" } : null,
        initialPolicy: true,
        referenceFetchedAt: new Date(Date.now() - 12 * 60_000),
      })
    ).binding.id;

  const { id: tenantId } = await makeTenant(MERCHANT.tenant, "growth");
  const ownerId = await member(tenantId, MERCHANT.owner, "owner");
  await member(tenantId, MERCHANT.admin, "admin");
  await member(tenantId, MERCHANT.viewer, "viewer");
  const bindingId = await binding(tenantId, MERCHANT.store, MERCHANT.business);
  const pendingBindingId = await binding(tenantId, MERCHANT.pendingStore, null);
  const popupBindingId = await binding(tenantId, MERCHANT.popupStore, "Harbour Pop-up Ltd");
  // The owner reviewed the settings once (the checklist's third step) …
  // The bank account it picked has since been closed in Sage, so the editor shows "(missing) BA_CLOSED".
  await addPolicyVersion(bindingId, {
    version: 2,
    settings: {
      ...defaultPolicy(),
      default_tax_rate_id: "GB_STANDARD",
      default_ledger_account_id: "LA_4000",
      default_bank_account_id: "BA_CLOSED",
    },
    savedById: ownerId,
    changes: [
      { key: "default_tax_rate_id", before: null, after: "GB_STANDARD" },
      { key: "default_ledger_account_id", before: null, after: "LA_4000" },
      { key: "default_bank_account_id", before: null, after: "BA_CLOSED" },
    ],
  });
  // … and invoices have been syncing for two weeks.
  await insertRuns(tenantId, runPlan(bindingId));
  const seed = { tenantId, ownerId, bindingId, pendingBindingId, popupBindingId };
  writeFileSync(MERCHANT_SEED_FILE, JSON.stringify(seed));
  return seed;
}

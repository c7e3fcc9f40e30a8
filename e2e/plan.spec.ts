import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { MERCHANT, merchantSeed, signInAs } from "./seed-merchant";

/**
 * Plans: the merchant finds the Plan page in the sidebar, sees their plan and what each plan adds;
 * a gated setting names the plan that unlocks it (never a bare code); an operator's
 * `npm run ops -- plan` upgrade shows up on the next page load.
 */

const shot = async (page: Page, name: string, info: TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

function ops(...args: string[]): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(process.cwd(), "scripts/ops/cli.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent" },
  });
  if (r.status !== 0) throw new Error(`ops ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

test.describe.configure({ mode: "serial" });

test("the Plan page shows the workspace's plan and what each plan includes", async ({ page }, info) => {
  await signInAs(page, MERCHANT.admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Plan" }).click();
  await expect(page).toHaveURL(/\/dashboard\/plan$/);
  await expect(page.getByRole("heading", { name: "Plan", exact: true })).toBeVisible();
  await expect(page.getByTestId("current-plan")).toContainText("Growth");
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: /Growth.*Your plan/ })).toBeVisible();
  // Stock sync: not in Trial, Starter or Growth; in Scale and Enterprise.
  const stock = table.getByRole("row", { name: /Stock sync/ });
  await expect(stock.getByText("Not included")).toHaveCount(3);
  await expect(stock.getByText("Included", { exact: true })).toHaveCount(2);
  await expect(table.getByRole("row", { name: /Invoices and payments/ }).getByText("Included", { exact: true })).toHaveCount(5);
  await expect(page.getByRole("heading", { name: "Changing plan" })).toBeVisible();
  await shot(page, "plan-page", info);
});

test("a gated setting names the plan that unlocks it, and an operator's upgrade lifts it", async ({ page }, info) => {
  const { bindingId, tenantId } = merchantSeed();
  await signInAs(page, MERCHANT.admin);
  await page.goto(`/dashboard/bindings/${bindingId}/settings`);
  const hint = page.getByTestId("plan-hint");
  await expect(hint).toHaveText("Included from the Scale plan; this workspace is on Growth. See plans");

  await page.getByRole("switch", { name: "Sync products" }).check();
  await page.getByRole("switch", { name: "Sync stock" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByText("Stock sync is included from the Scale plan; this workspace is on Growth. See Plan to change it."),
  ).toBeVisible();
  await expect(page.getByText("tier_limit_exceeded")).toHaveCount(0);
  await shot(page, "settings-gated-stock", info);

  await hint.getByRole("link", { name: "See plans" }).click();
  await expect(page).toHaveURL(/\/dashboard\/plan$/);

  expect(ops("plan", MERCHANT.tenant, "scale")).toBe(`${MERCHANT.tenant} (${tenantId}): Growth → Scale (audited as plan.changed)`);
  try {
    await page.reload();
    await expect(page.getByTestId("current-plan")).toContainText("Scale");
    await expect(page.getByTestId("current-plan")).toContainText("(was Growth)");
    await page.goto(`/dashboard/bindings/${bindingId}/settings`);
    await expect(page.getByRole("switch", { name: "Sync stock" })).toBeVisible();
    await expect(page.getByTestId("plan-hint")).toHaveCount(0);
    await shot(page, "settings-after-upgrade", info);
  } finally {
    ops("plan", tenantId, "growth");
  }
});

import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test as base, type Page } from "@playwright/test";
import { REPO_ROOT, type Stack } from "../scripts/stack/index";
import { withFreshStack } from "./fresh-stack";

/**
 * The sales demo end to end, in Chromium, against a whole stack of its own (embedded PostgreSQL in
 * a temp directory, the Sage emulator, the Magento simulator, the embedded executor and `next start`
 * of the existing build, all on free ports), seeded exactly as `npm run demo` seeds it: sign in as
 * the demo user → play a day from the simulator's admin UI → every chip → fix the setting behind
 * the failure → retry it → ✓ Synced.
 */

interface Seeded {
  email: string;
  password: string;
  bindingId: string;
}

interface Demo extends Seeded {
  stack: Stack;
}

function seed(stack: Stack): Promise<Seeded> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "scripts/demo/seed-cli.ts"), stack.urls.app, stack.urls.magento, stack.urls.sage],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...stack.env, NODE_ENV: "development", LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`seeding failed (${code}):\n${out}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Seeded);
    });
  });
}

const test = base.extend<object, { demo: Demo }>({
  demo: [
    async ({}, provide, workerInfo) =>
      withFreshStack("demo", workerInfo.project.outputDir, {}, async (stack) => provide({ stack, ...(await seed(stack)) })),
    { scope: "worker", timeout: 240_000 },
  ],
});

async function shot(page: Page, name: string): Promise<void> {
  await test.info().attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Reloads `url` until `check` passes (server-rendered pages: the chips change between loads). */
async function eventually(page: Page, url: string, check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url);
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      await page.waitForTimeout(2000);
    }
  }
}

test("the sales demo: sign in, play a day, every chip, fix the failure and retry it", async ({ page, demo }) => {
  test.setTimeout(600_000);
  const { urls } = demo.stack;

  await test.step("sign in as the demo user", async () => {
    await page.goto(`${urls.app}/sign-in`);
    await page.getByLabel("Email").fill(demo.email);
    await page.getByLabel("Password").fill(demo.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Ledger Demo Shop" })).toBeVisible();
    await shot(page, "home");
  });

  await test.step("the demo runs on the top plan: nothing is gated", async () => {
    await page.getByRole("link", { name: "Plan", exact: true }).click();
    await expect(page.getByTestId("current-plan")).toContainText("Enterprise");
    await page.goto(`${urls.app}/dashboard/bindings/${demo.bindingId}/settings`);
    await expect(page.getByRole("switch", { name: "Sync stock" })).toBeVisible();
    await expect(page.getByTestId("plan-hint")).toHaveCount(0);
  });

  await test.step("play a day from the Magento admin", async () => {
    const magento = await page.context().newPage();
    await magento.goto(urls.magentoAdmin);
    await magento.getByRole("button", { name: "Play a day (fast)" }).click();
    await expect(magento.getByText("Playing a day at the shop")).toBeVisible();
    await expect(magento.getByText("Done", { exact: true })).toBeVisible({ timeout: 300_000 });
    await shot(magento, "magento-dashboard-after-the-day");
    await magento.goto(`${urls.magentoAdmin}/invoices`);
    for (const chip of ["synced", "skipped", "failed", "none"]) await expect(magento.locator(`.chip--${chip}`).first()).toBeVisible();
    await shot(magento, "magento-invoices-grid");
    await magento.close();
  });

  await test.step("every chip variant is visible in Ledger", async () => {
    await page.goto(`${urls.app}/dashboard/sync`);
    await expect(page.locator('[data-chip="synced"]').first()).toBeVisible();
    await shot(page, "sync-history");
    // One filter per chip: the history is paged, and the filters are what a presenter clicks.
    const byStatus = { synced: "succeeded", pending: "queued,running,waiting", skipped: "skipped_by_policy", failed: "failed" };
    for (const [chip, status] of Object.entries(byStatus)) {
      await page.goto(`${urls.app}/dashboard/sync?status=${status}`);
      await expect(page.locator(`[data-chip="${chip}"]`).first()).toBeVisible();
      for (const other of Object.keys(byStatus).filter((c) => c !== chip))
        await expect(page.locator(`[data-chip="${other}"]`)).toHaveCount(0);
      await shot(page, `sync-history-${chip}`);
    }
    await page.goto(`${urls.app}/dashboard/customers`);
    await expect(page.locator('[data-chip="none"]').first()).toBeVisible();
    await shot(page, "customers");
  });

  await test.step("fix the setting behind the failure", async () => {
    await page.goto(`${urls.app}/dashboard/bindings/${demo.bindingId}/settings`);
    const reference = page.getByLabel("Shared contact reference");
    await expect(reference).toHaveValue("WEBSALES");
    await reference.fill("WEBSHOP");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/^Saved as version \d+/)).toBeVisible();
    await shot(page, "settings-saved");
  });

  await test.step("retry the failed run: it is synced now", async () => {
    await page.goto(`${urls.app}/dashboard/sync?status=failed`);
    const failed = page.locator('[data-chip="failed"]').first();
    await expect(failed).toBeVisible();
    await failed.click();
    await expect(page.getByText("reference: has already been taken").filter({ visible: true }).first()).toBeVisible();
    await shot(page, "failed-run");
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    await expect(page.getByRole("status").first()).toBeVisible();
    await eventually(
      page,
      `${urls.app}/dashboard/sync?status=failed`,
      async () => {
        await expect(page.locator('[data-chip="failed"]')).toHaveCount(0, { timeout: 1000 });
      },
      120_000,
    );
    await page.goto(`${urls.app}/dashboard/sync`);
    await expect(page.locator('[data-chip="synced"]').first()).toBeVisible();
    await shot(page, "after-retry");
  });

  await test.step("the failure raised an alert: the alert log shows its digest (email off in the demo)", async () => {
    // The digest cron runs every minute in the executor.
    await eventually(
      page,
      `${urls.app}/dashboard/alerts/log`,
      async () => {
        await expect(page.getByRole("row", { name: /^Failed runs by email to .*: Email off$/ })).toBeVisible({ timeout: 1000 });
      },
      150_000,
    );
    await expect(page.getByRole("row", { name: /^Failed runs/ }).first()).toContainText("reference: has already been taken");
    await shot(page, "alert-log");
  });
});

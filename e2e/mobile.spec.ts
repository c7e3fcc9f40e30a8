import { readFileSync } from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { HISTORY_SEED_FILE, OPERATOR, type HistorySeed } from "./seed-history";
import { MERCHANT, merchantSeed, signInAs } from "./seed-merchant";

/**
 * Issue 17 point 1: a phone (390 × 844). The sidebar folds into a top bar with a menu button, tables
 * keep their key columns and move the rest into the row, the run drawer covers the screen, and no
 * dashboard page scrolls sideways.
 */

// Not `isMobile`: a mobile browser zooms out to fit overflowing content, which would hide the very
// sideways scroll this spec looks for. A 390 px layout viewport is what the breakpoints see.
test.use({ viewport: { width: 390, height: 844 } });

async function noSidewaysScroll(page: Page, where: string) {
  const { scroll, inner, tables } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    // A table scrolling inside its own box is sideways scrolling too.
    tables: Array.from(document.querySelectorAll("[data-table-scroll]")).map((t) => t.scrollWidth - t.clientWidth),
  }));
  expect(inner).toBe(390);
  expect(scroll, `${where}: content ${scroll}px wide in a ${inner}px viewport`).toBeLessThanOrEqual(inner);
  for (const over of tables) expect(over, `${where}: a table ${over}px wider than its box`).toBeLessThanOrEqual(0);
}

async function shot(page: Page, info: TestInfo, name: string) {
  await info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

test("every dashboard page fits a phone, with its key content visible", async ({ page }, info) => {
  const { bindingId } = merchantSeed();
  await signInAs(page, MERCHANT.owner);
  const pages: [string, (p: Page) => Promise<void>][] = [
    ["/dashboard", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/sync", (p) => expect(p.locator("tbody tr[data-row-id]").first()).toBeVisible()],
    ["/dashboard/invoices", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/credit-memos", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/customers", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/bindings", (p) => expect(p.locator("tbody tr").first()).toBeVisible()],
    [`/dashboard/bindings/${bindingId}`, (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    [`/dashboard/bindings/${bindingId}/settings`, (p) => expect(p.getByRole("button", { name: "Save" })).toBeVisible()],
    ["/dashboard/members", (p) => expect(p.locator("tbody").getByText(MERCHANT.owner.name)).toBeVisible()],
    ["/dashboard/plan", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/connect-magento", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/connect-sage", (p) => expect(p.getByRole("heading").first()).toBeVisible()],
    ["/dashboard/sync?status=failed&range=all", (p) => expect(p.getByTestId("status-summary")).toBeVisible()],
    [
      `/dashboard/reconciliation?binding=${bindingId}&period=month&date=2026-04-15`,
      (p) => expect(p.locator("tbody tr[data-row-id]").first()).toBeVisible(),
    ],
    ["/dashboard/alerts", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
    ["/dashboard/alerts/log", (p) => expect(p.getByRole("heading", { level: 1 })).toBeVisible()],
  ];
  for (const [path, visible] of pages) {
    await page.goto(path);
    await visible(page);
    // The sidebar is folded away; the menu button is there instead.
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Menu" })).toBeVisible();
    await noSidewaysScroll(page, path);
    await shot(page, info, `phone${path.replaceAll("/", "-")}`);
  }
});

test("the menu button opens the navigation, and a link in it navigates and closes it", async ({ page }, info) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard");
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await noSidewaysScroll(page, "open menu");
  await shot(page, info, "phone-menu-open");
  await nav.getByRole("link", { name: "Sync history" }).click();
  await expect(page).toHaveURL(/\/dashboard\/sync/);
  await expect(nav).toBeHidden();
  await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
});

test("history keeps its key columns and folds the rest into the row; the run drawer covers the screen", async ({ page }, info) => {
  const { failedRunId }: HistorySeed = JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/sync");
  const headers = page.locator("thead th");
  await expect(headers.filter({ hasText: "Time" })).toBeVisible();
  await expect(headers.filter({ hasText: "Status" })).toBeVisible();
  await expect(headers.filter({ hasText: "Entity" })).toBeVisible();
  await expect(headers.filter({ hasText: "Duration" })).toHaveCount(0);
  const row = page.locator("tbody tr[data-row-id]").first();
  await expect(row.locator("[data-chip]")).toBeVisible();
  await expect(row.locator("[data-phone-details]")).toContainText("Attempts");
  // The newest runs are still in flight: nothing to explain, so no bare "Why:"; a failed run says why.
  await expect(row.locator("[data-phone-details]")).not.toContainText("Why:");
  await expect(page.locator(`tbody tr[data-row-id="${failedRunId}"] [data-phone-details]`)).toContainText(/Why:\s*provider/);
  await noSidewaysScroll(page, "history");

  await page.goto(`/dashboard/sync?run=${failedRunId}`);
  const drawer = page.getByRole("dialog");
  await expect(drawer).toBeVisible();
  const box = await drawer.boundingBox();
  expect(box?.x).toBe(0);
  expect(box?.width).toBe(390);
  // Sage's message wraps inside the screen instead of being clipped.
  const message = drawer.getByTestId("sage-message");
  await expect(message).toBeVisible();
  const m = await message.boundingBox();
  expect(m && m.x >= 0 && m.x + m.width <= 390).toBe(true);
  await noSidewaysScroll(page, "run drawer");
  await shot(page, info, "phone-run-drawer");
});

import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { MERCHANT, merchantSeed, signInAs } from "./seed-merchant";

/** Home cards, the bindings list, a binding's detail, and disconnecting a binding with its confirmation. */

const shot = async (page: Page, name: string, info: TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

test.describe.configure({ mode: "serial" });

test("Home shows one card per live binding with health, numbers and a 14-day chart", async ({ page }, info) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: MERCHANT.tenant, exact: true })).toBeVisible();
  await expect(page.getByText("Get set up")).toHaveCount(0);
  const main = page.getByRole("article", { name: "harbour.example ↔ Harbour Goods Ltd (UK)" });
  await expect(main.locator("[data-health]")).toHaveText("Needs attention");
  await expect(main.getByText("2 failures in the last 24 hours.")).toBeVisible();
  await expect(main.locator("dt")).toHaveText(["Last sync", "Pending", "Failures 24 h"]);
  await expect(main.getByRole("link", { name: "1", exact: true })).toBeVisible(); // one queued run
  await expect(main.getByRole("link", { name: "2", exact: true })).toBeVisible(); // two failures today
  const chart = main.getByRole("img", { name: /syncs per day, last 14 days/ });
  await expect(chart).toBeVisible();
  // the screen-reader table carries every number: 14 day rows
  await expect(main.locator("table.sr-only tbody tr")).toHaveCount(14);
  await expect(page.getByRole("article", { name: "outlet.harbour.example ↔ Sage not connected" }).locator("[data-health]")).toHaveText(
    "Needs attention",
  );
  await expect(page.getByRole("article", { name: "popup.harbour.example ↔ Harbour Pop-up Ltd (UK)" }).locator("[data-health]")).toHaveText(
    "Connected",
  );
  await shot(page, "home-cards", info);
});

test("bindings list and detail; a binding waiting for Sage says so", async ({ page }, info) => {
  const { pendingBindingId } = merchantSeed();
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard/bindings");
  const list = page.getByRole("table", { name: "Bindings" });
  await expect(list.locator("tbody tr")).toHaveCount(3);
  const row = list.getByRole("row", { name: "harbour.example ↔ Harbour Goods Ltd (UK)" });
  await expect(row).toContainText("Active");
  await expect(page.getByText("Every binding uses the workspace's Growth plan")).toBeVisible();
  await expect(row.getByRole("link", { name: "Settings" })).toHaveAttribute("href", /\/settings$/);
  await expect(row.getByRole("link", { name: "Sync history" })).toHaveAttribute("href", /\/dashboard\/sync\?binding=/);
  await expect(page.getByRole("link", { name: "Connect another store" })).toHaveAttribute("href", "/dashboard/connect-magento");
  await shot(page, "bindings-list", info);

  await list.getByRole("link", { name: "outlet.harbour.example ↔ Sage not connected" }).click();
  await expect(page.getByText(/Sage not connected yet/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Connect Sage" })).toHaveAttribute(
    "href",
    `/dashboard/connect-sage?binding=${pendingBindingId}`,
  );
  await shot(page, "binding-pending-sage", info);
});

test("an admin sees the binding but cannot disconnect it", async ({ browser }) => {
  const { popupBindingId } = merchantSeed();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, MERCHANT.admin);
  await page.goto(`/dashboard/bindings/${popupBindingId}`);
  await expect(page.getByRole("heading", { name: "Magento store" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Disconnect binding" })).toHaveCount(0);
  await context.close();
});

test("the owner disconnects a binding after a confirmation that lists what goes and what stays", async ({ page }, info) => {
  const { popupBindingId } = merchantSeed();
  await signInAs(page, MERCHANT.owner);
  await page.goto(`/dashboard/bindings/${popupBindingId}`);
  await expect(page.getByRole("heading", { name: "popup.harbour.example ↔ Harbour Pop-up Ltd (UK)" })).toBeVisible();
  await expect(page.getByText("https://popup.harbour.example")).toBeVisible();
  await expect(page.getByRole("region", { name: "Sage business" })).toContainText(/Updated \d+ min ago/);
  await shot(page, "binding-detail", info);

  await page.getByRole("button", { name: "Disconnect binding" }).click();
  const dialog = page.getByRole("dialog", { name: /Disconnect popup\.harbour\.example from Harbour Pop-up Ltd/ });
  await expect(dialog.getByRole("heading", { name: "What gets removed" })).toBeVisible();
  await expect(dialog).toContainText("The Sage sign-in tokens");
  await expect(dialog).toContainText("Magento's next events get 401 and are dead-lettered");
  await expect(dialog.getByRole("heading", { name: "What stays" })).toBeVisible();
  await expect(dialog).toContainText("reconnecting this store to the same Sage business reuses them");
  await expect(dialog).toContainText("Magento's outbox and sync-status mirror");
  await shot(page, "disconnect-confirmation", info);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: "Disconnect binding" }).click();
  await dialog.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(page.getByText("The binding is disconnected. Its history and cross-references are kept.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Magento store" })).toContainText("Disconnected");
  await expect(page.getByRole("region", { name: "Sage business" })).toContainText("Not connected");
  await expect(page.getByRole("button", { name: "Disconnect binding" })).toHaveCount(0);
  await page.goto("/dashboard/bindings");
  await expect(page.getByRole("row", { name: /popup\.harbour\.example/ })).toContainText("Disconnected");
  await shot(page, "bindings-after-disconnect", info);
});

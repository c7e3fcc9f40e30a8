import { expect, test } from "@playwright/test";
import { signInAs } from "./seed-merchant";
import { OPERATOR } from "./seed-history";

/**
 * Issue 17 point 2: Home shows money, not just run counts. Acme's seeded invoices (e2e/seed-history.ts):
 * INV-101 £120.00 and INV-106 £64.00 reached Sage but their payments did not (one skipped, one failed),
 * INV-102 £80.00 failed, INV-103 £15.00 and INV-104 £42.00 were skipped, INV-105 is still pending.
 */
test("Home: posted, not posted (why) and posted-but-unpaid, per binding and currency, to the penny", async ({ page }) => {
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard");
  const gbp = page.getByTestId("money").locator('[data-money="GBP"]');
  await expect(gbp).toContainText("shop.acme.test");
  await expect(gbp.locator('[data-amount="posted"]')).toHaveText("£184.00");
  await expect(gbp.locator('[data-amount="not-posted"]')).toHaveText("£137.00");
  await expect(gbp.locator('[data-amount="posted-unpaid"]')).toHaveText("£184.00");
  await expect(gbp).toContainText("2 invoices: payment not posted");
  await expect(gbp.locator('[data-why="provider"]')).toContainText("£80.00 · 1 ×");
  await expect(gbp.locator('[data-why="outside_sync_since"]')).toContainText("£15.00 · 1 ×");
  await expect(gbp.locator('[data-why="unpaid_invoice"]')).toContainText("£42.00 · 1 × the invoice is unpaid");
  // Each figure opens the runs behind it.
  await gbp.locator('[data-amount="posted-unpaid"] a').click();
  await expect(page).toHaveURL(/\/dashboard\/sync\?.*event=invoice\.paid/);
  await expect(page.locator("tbody tr[data-row-id]")).toHaveCount(2);
});

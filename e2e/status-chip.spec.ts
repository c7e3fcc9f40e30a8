import { expect, test } from "@playwright/test";
import { signInAs } from "./seed-merchant";
import { OPERATOR } from "./seed-history";

/**
 * Issue 17 point 8: the status chip carries an inline SVG icon next to its label, so its meaning does
 * not depend on an emoji font (⏳ and ⏸ rendered as empty boxes without one) nor on colour alone.
 */

const EMOJI = /[\u2300-\u23ff\u2600-\u27bf\u{1f300}-\u{1faff}]/u;

test("every chip variant shows a drawn icon and its label, with no emoji", async ({ page }) => {
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/invoices?sort=increment&dir=asc");
  const expected: Record<string, string> = { synced: "Synced", pending: "Pending", skipped: "Skipped", failed: "Failed" };
  for (const [variant, label] of Object.entries(expected)) {
    const chip = page.locator(`tbody [data-chip="${variant}"]`).first();
    await expect(chip).toBeVisible();
    const icon = chip.locator(`svg[data-icon="${variant}"]`);
    await expect(icon).toBeVisible();
    const box = await icon.boundingBox();
    expect(box && box.width > 8 && box.height > 8, `${variant} icon is drawn at a visible size`).toBe(true);
    // Something is actually drawn, in the chip's own colour.
    expect(await icon.locator("path, circle").count()).toBeGreaterThan(0);
    await expect(chip).toContainText(label);
    expect(await chip.innerText()).not.toMatch(EMOJI);
  }
  // The status toggles above the table use the same icons.
  for (const variant of ["synced", "pending", "skipped", "failed", "none"]) {
    await expect(page.locator(`[data-chip-toggle="${variant}"] svg[data-icon="${variant}"]`)).toBeVisible();
    expect(await page.locator(`[data-chip-toggle="${variant}"]`).innerText()).not.toMatch(EMOJI);
  }
  await expect(page.locator('[data-chip-toggle="none"]')).toContainText("Not synced");
});

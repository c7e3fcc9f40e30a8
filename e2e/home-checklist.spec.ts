import { expect, test } from "@playwright/test";
import { MERCHANT, signInAs } from "./seed-merchant";

/** Issue 17 point 10: once setup is complete, the checklist stays on Home, collapsed, and opens on a click. */
test("a complete setup keeps its checklist on Home, collapsed", async ({ page }) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard");
  const list = page.getByTestId("setup-checklist");
  await expect(list).toBeVisible();
  await expect(list).toContainText("Setup complete · 4 of 4 done");
  await expect(list).not.toHaveAttribute("open", "");
  await expect(list.getByText("Pair your Magento store")).toBeHidden();
  await list.locator("summary").click();
  await expect(list.getByText("Pair your Magento store")).toBeVisible();
  await expect(list.getByRole("link", { name: "Review settings →" })).toBeVisible();
});

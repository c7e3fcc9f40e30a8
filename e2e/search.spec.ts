import { expect, test, type Page } from "@playwright/test";
import { MERCHANT, signInAs } from "./seed-merchant";

/**
 * Issue 17 point 5: the history and the Invoices view find what people type — the document number
 * (`00001005`), the same with Sage's prefix (`MAG-00001005`), the Sage reference (`SI-5`) or the entity
 * id — and say which one matched. Harbour's seeded invoice n has increment 0000(1000+n) and, once
 * synced, Sage reference SI-n (e2e/seed-merchant.ts).
 */

async function search(page: Page, text: string) {
  const box = page.locator("#history-search");
  await box.fill(text);
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(text)}`));
}

const rows = (page: Page) => page.locator("tbody tr[data-row-id]");

test("history: a document number is not read as an entity id, and the page says what matched", async ({ page }) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard/sync?range=all");

  await search(page, "00001005");
  await expect(page.getByTestId("search-match")).toHaveText("Matched document number 00001005 → invoice #5");
  await expect(rows(page)).not.toHaveCount(0);
  for (const text of await rows(page).allInnerTexts()) expect(text).toContain("invoice #5");

  await search(page, "MAG-00001005");
  await expect(page.getByTestId("search-match")).toHaveText("Matched document number MAG-00001005 → invoice #5");

  await search(page, "SI-5");
  await expect(page.getByTestId("search-match")).toHaveText("Matched Sage reference SI-5 → invoice #5 (00001005)");

  await search(page, "5");
  await expect(page.getByTestId("search-match")).toHaveText("Matched Magento entity id 5 → invoice #5 (00001005)");

  // The URL alone reproduces it.
  await page.goto(page.url());
  await expect(page.getByTestId("search-match")).toHaveText("Matched Magento entity id 5 → invoice #5 (00001005)");

  await search(page, "00009999");
  await expect(page.getByTestId("search-match")).toContainText("Nothing matches “00009999”");
  await expect(rows(page)).toHaveCount(0);
});

test("invoices: the Sage reference and the prefixed document number find the invoice, saying which", async ({ page }) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard/invoices?q=SI-5");
  await expect(page.locator('tbody tr[data-entity-id="5"]')).toBeVisible();
  await expect(page.getByTestId("search-match")).toHaveText("“SI-5” matched by Sage reference.");
  await page.goto("/dashboard/invoices?q=MAG-00001005");
  await expect(page.locator("tbody tr[data-entity-id]")).toHaveCount(1);
  await expect(page.locator('tbody tr[data-entity-id="5"]')).toBeVisible();
  await expect(page.getByTestId("search-match")).toHaveText("“MAG-00001005” matched by document number.");
});

import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAs } from "./seed-merchant";
import { HISTORY_SEED_FILE, OPERATOR, type HistorySeed } from "./seed-history";

/**
 * Issue 17 point 4 (and 6's reason column): codes become sentences with a link to the fix — in the
 * history's Reason column, the run drawer and the chip's tooltip — and the run that Sage refused says
 * which field it refused and links to the setting it comes from.
 */

const seed = (): HistorySeed => JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));

test("the history shows each run's reason with its fix; tries say how many", async ({ page }) => {
  const { acmeBindingId } = seed();
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/sync");
  await expect(page.locator("thead th").filter({ hasText: "Reason" })).toBeVisible();
  const payment = page.locator("tbody tr[data-row-id]").filter({ has: page.locator('[data-fix="payment_method_not_mapped"]') });
  await expect(payment).toHaveCount(1);
  await expect(payment.locator("[data-fix-link]")).toHaveText("Map it →");
  await expect(payment.locator("[data-fix-link]")).toHaveAttribute("href", `/dashboard/bindings/${acmeBindingId}/settings#payment-methods`);
  await expect(payment.locator("[data-fix]")).toHaveAttribute("title", /no Sage bank account/);
  // The product run Sage's outage held up: four tries.
  await expect(page.locator("[data-attempts='4']")).toHaveText("4 tries");

  // Following the link lands on the setting's card.
  await payment.locator("[data-fix-link]").click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/bindings/${acmeBindingId}/settings#payment-methods$`));
  await expect(page.locator("#payment-methods")).toBeVisible();
});

test("the run drawer says what happened in words and links to the fix", async ({ page }) => {
  const { acmeBindingId, failedRunId, skippedRunId } = seed();
  await signInAs(page, OPERATOR);
  await page.goto(`/dashboard/sync?run=${skippedRunId}`);
  const drawer = page.getByRole("dialog");
  await expect(drawer.locator("[data-fix-sentence]")).toHaveText(
    /older than the binding’s “sync since” date|older than the binding's “sync since” date/,
  );
  await expect(drawer.getByRole("link", { name: "Move the date →" })).toHaveAttribute(
    "href",
    `/dashboard/bindings/${acmeBindingId}/settings#sync-behaviour`,
  );
  await expect(drawer).toContainText("outside_sync_since"); // the code stays, small, for support

  // Sage refused a field: the drawer names it and links to the setting it comes from.
  await page.goto(`/dashboard/sync?run=${failedRunId}`);
  await expect(drawer.locator("[data-fix-sentence]")).toHaveText(
    "Sage refused invoice_lines[0].tax_rate_id. Change the Tax Rate Routing setting it comes from, then retry.",
  );
  await expect(drawer.getByRole("link", { name: "Open Tax Rate Routing →" })).toHaveAttribute(
    "href",
    `/dashboard/bindings/${acmeBindingId}/settings#tax-rates`,
  );
  await expect(drawer).not.toContainText("a 4xx");
});

test("a chip's tooltip carries the sentence and where the fix is", async ({ page }) => {
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/invoices?sort=increment&dir=asc");
  const skipped = page.locator('tr[data-entity-id="104"] [data-chip="skipped"]');
  await expect(skipped).toHaveAttribute("aria-label", /only sends paid invoices/);
  await expect(skipped).toHaveAttribute("aria-label", /Fix: Send unpaid invoices too \(Settings → Sync Behaviour\)/);
  await skipped.hover();
  await expect(skipped).toContainText("Fix: Send unpaid invoices too");
});

import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAs } from "./seed-merchant";
import { HISTORY_SEED_FILE, OPERATOR, type HistorySeed } from "./seed-history";

/**
 * Issue 17 point 3: "Synced" can hide an unpaid invoice. Acme's INV-101 reached Sage (SI-27) but its
 * payment was skipped (payment_method_not_mapped): the chip stays "Synced" as decision D4 says, and
 * Ledger's Invoices view says the payment was not posted, with the link to map it.
 */

test("an invoice whose payment was skipped says so beside its Synced chip, with the fix", async ({ page }) => {
  const { acmeBindingId }: HistorySeed = JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/invoices?sort=increment&dir=asc");
  const row = page.locator('tr[data-entity-id="101"]');
  await expect(row.locator("[data-chip]")).toHaveAttribute("data-chip", "synced"); // D4 unchanged
  const state = row.locator('[data-payment-state="not_posted"]');
  await expect(state).toContainText("Payment not posted: no Sage bank account for its payment method");
  await expect(state.getByRole("link", { name: "Map it →" })).toHaveAttribute(
    "href",
    `/dashboard/bindings/${acmeBindingId}/settings#payment-methods`,
  );
  // Invoices whose payment never ran say nothing about it; a payment still in flight says so.
  await expect(page.locator('tr[data-entity-id="104"] [data-payment-state]')).toHaveCount(0);
  await expect(page.locator('tr[data-entity-id="105"] [data-payment-state="pending"]')).toHaveText("Payment on its way");
});

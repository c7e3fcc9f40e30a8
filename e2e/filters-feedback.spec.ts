import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { signInAs } from "./seed-merchant";
import { HISTORY_SEED_FILE, OPERATOR, type HistorySeed } from "./seed-history";

/**
 * Issue 17 points 6 and 7: status toggles say they combine, "Not synced" is unknown rather than 0
 * when Ledger heard of none, and a finished bulk retry's card can be dismissed.
 */

test("status toggles say that they combine", async ({ page }) => {
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/sync");
  await expect(page.getByText("Click statuses to combine them")).toBeVisible();
  await page.locator('[data-status-toggle="skipped_by_policy"]').click();
  await expect(page.getByTestId("status-summary")).toHaveText("Showing Skipped");
  await page.locator('[data-status-toggle="failed"]').click();
  await expect(page.getByTestId("status-summary")).toHaveText("Showing Skipped or Failed");
  await expect(page.locator("tbody tr[data-row-id]")).toHaveCount(8);
  await expect(page.locator('[data-status-toggle="failed"] svg[data-on]')).toBeVisible();
  await expect(page.locator('[data-status-toggle="queued"] svg[data-on]')).toHaveCount(0);
});

test("“Not synced” is unknown, not zero, when Ledger never heard of such a document", async ({ page }) => {
  await signInAs(page, OPERATOR);
  await page.goto("/dashboard/credit-memos");
  const none = page.locator('[data-chip-toggle="none"]');
  await expect(none.locator("[data-count-unknown]")).toHaveText("—");
  await expect(none.locator("[data-count-unknown]")).toHaveAttribute("title", /only knows documents Magento sent it/);
});

test("a finished bulk retry's card can be dismissed and stays dismissed", async ({ page }) => {
  const { acmeBindingId }: HistorySeed = JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query<{ tenant_id: string }>("select tenant_id from bindings where id = $1", [acmeBindingId]);
  const job = await db.query<{ id: string }>(
    `insert into bulk_retries (id, tenant_id, filter, status, total, done, failed, created_at, finished_at)
     values (gen_random_uuid(), $1, '{}'::jsonb, 'completed', 3, 3, 0, now() - interval '2 minutes', now() - interval '1 minute') returning id`,
    [rows[0].tenant_id],
  );
  try {
    await signInAs(page, OPERATOR);
    await page.goto("/dashboard/sync");
    const card = page.locator('[data-bulk-retry="completed"]');
    await expect(card).toContainText("Bulk retry finished: 3 of 3");
    await card.getByRole("button", { name: "Dismiss" }).click();
    await expect(card).toHaveCount(0);
    await page.reload();
    await expect(page.locator("tbody tr[data-row-id]").first()).toBeVisible();
    await expect(card).toHaveCount(0);
  } finally {
    await db.query("delete from bulk_retries where id = $1", [job.rows[0].id]);
    await db.end();
  }
});

import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { signInAs } from "./seed-merchant";
import { HISTORY_SEED_FILE, OPERATOR, type HistorySeed } from "./seed-history";

/**
 * Issue 17 points 6 and 7: status toggles say they combine, "Not synced" is unknown rather than 0
 * when Ledger heard of none, a finished bulk retry's card can be dismissed, and the filter tabs'
 * counts move with their rows when a run settles while the page is open.
 */

/**
 * Settles one seeded failed run the way a successful retry leaves it, and returns what puts it back:
 * the seed is shared with later specs (history, money, status views).
 */
async function settleFailedRun(db: pg.Client, bindingId: string, event: string, entity: number): Promise<() => Promise<void>> {
  const { rows } = await db.query<{ id: string; j: Record<string, unknown> }>(
    `select id, row_to_json(r)::jsonb as j from sync_runs r
      where binding_id = $1 and event = $2 and magento_entity_id = $3 and status = 'failed'`,
    [bindingId, event, entity],
  );
  expect(rows).toHaveLength(1);
  const [{ id, j: seeded }] = rows;
  await db.query(
    `update sync_runs set status = 'succeeded', error_class = null, error_message = null, finished_at = now(), updated_at = now()
      where id = $1`,
    [id],
  );
  const cols = Object.keys(seeded)
    .filter((c) => c !== "id")
    .map((c) => `"${c}"`)
    .join(", ");
  return async () => {
    await db.query(
      `update sync_runs set (${cols}) = (select ${cols} from jsonb_populate_record(null::sync_runs, $2::jsonb)) where id = $1`,
      [id, JSON.stringify(seeded)],
    );
  };
}

/** A mark that a reload or a full navigation would wipe: the refresh must come from the page itself. */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { stayed?: number }).stayed = 1));
const pageStayed = (page: Page) => page.evaluate(() => (window as unknown as { stayed?: number }).stayed === 1);

test("Sync history: with Failed on, a run that settles leaves the rows and every tab count together, without a reload", async ({
  page,
}) => {
  const { acmeBindingId }: HistorySeed = JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  let restore: (() => Promise<void>) | null = null;
  try {
    await signInAs(page, OPERATOR);
    await page.goto("/dashboard/sync?status=failed");
    const rows = page.locator("tbody tr[data-row-id]");
    const count = (s: string) => page.locator(`[data-status-toggle="${s}"] [data-count]`);
    await expect(rows.first()).toBeVisible();
    const failed = Number(await count("failed").innerText());
    const synced = Number(await count("succeeded").innerText());
    await expect(rows).toHaveCount(failed);
    await expect(page.getByTestId("result-count")).toContainText(`Showing ${failed} of ${failed}`);
    await markPage(page);

    restore = await settleFailedRun(db, acmeBindingId, "product.upserted", 301);
    // The history refreshes itself every 3 s: wait past a round or two.
    await expect(rows).toHaveCount(failed - 1, { timeout: 15_000 });
    await expect(count("failed")).toHaveText(String(failed - 1));
    await expect(count("succeeded")).toHaveText(String(synced + 1));
    await expect(page.getByTestId("result-count")).toContainText(`Showing ${failed - 1} of ${failed - 1}`);
    await expect(page.getByRole("button", { name: `Retry ${failed - 1} runs` })).toBeVisible();
    // The seed's one `http` failure was that run: the code filter's choice goes with it.
    await expect(page.getByLabel("Reason or error code").locator('option[value="http"]')).toHaveCount(0);

    // And back: the counts follow the rows both ways.
    await restore();
    restore = null;
    await expect(rows).toHaveCount(failed, { timeout: 15_000 });
    await expect(count("failed")).toHaveText(String(failed));
    await expect(count("succeeded")).toHaveText(String(synced));
    expect(await pageStayed(page)).toBe(true);
  } finally {
    await restore?.();
    await db.end();
  }
});

test("Invoices: with the Failed chip on, an invoice whose payment goes through leaves the rows and the chip counts together", async ({
  page,
}) => {
  const { acmeBindingId }: HistorySeed = JSON.parse(readFileSync(HISTORY_SEED_FILE, "utf8"));
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  let restore: (() => Promise<void>) | null = null;
  try {
    await signInAs(page, OPERATOR);
    await page.goto("/dashboard/invoices?chip=failed");
    const rows = page.locator("tbody tr[data-entity-id]");
    const count = (c: string) => page.locator(`[data-chip-toggle="${c}"] .tabular-nums`);
    // INV-106 is failed by its payment (decisions D4); its invoice itself reached Sage.
    await expect(page.locator('tbody tr[data-entity-id="106"]')).toBeVisible();
    const failed = Number(await count("failed").innerText());
    const synced = Number(await count("synced").innerText());
    await expect(rows).toHaveCount(failed);
    await markPage(page);

    restore = await settleFailedRun(db, acmeBindingId, "invoice.paid", 106);
    // The status views refresh themselves every 5 s: wait past one round.
    await expect(page.locator('tbody tr[data-entity-id="106"]')).toHaveCount(0, { timeout: 15_000 });
    await expect(rows).toHaveCount(failed - 1);
    await expect(count("failed")).toHaveText(String(failed - 1));
    await expect(count("synced")).toHaveText(String(synced + 1));
    expect(await pageStayed(page)).toBe(true);
  } finally {
    await restore?.();
    await db.end();
  }
});

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

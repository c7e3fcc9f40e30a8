import { readFileSync } from "node:fs";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { OWNER } from "./fixtures";
import { MERCHANT, MERCHANT_SEED_FILE, type MerchantSeed } from "./seed-merchant";
import { RECON_SEED_FILE, type ReconSeed } from "./seed-reconciliation";

/**
 * The reconciliation page against stored results (e2e/seed-reconciliation.ts): totals, the per-day
 * chart, the class filter in the URL, the one DataTable with "View in Sage" and row → run, the run
 * detail's link back to its row, the CSV export, the progress bar of a running reconciliation, and
 * the empty state of a period never reconciled. Another workspace's owner sees none of it.
 */

const seed = (): MerchantSeed & ReconSeed => ({
  ...JSON.parse(readFileSync(MERCHANT_SEED_FILE, "utf8")),
  ...JSON.parse(readFileSync(RECON_SEED_FILE, "utf8")),
});

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The first sign-in of a cold server hashes a password on a busy machine: allow it time.
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 20_000 });
}
const shot = async (page: Page, info: TestInfo, name: string) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
const rows = (page: Page) => page.locator("tbody tr[data-row-id]");

test("a month's reconciliation: totals, chart, class filter, deep links both ways, CSV", async ({ page }, info) => {
  const s = seed();
  await signIn(page, MERCHANT.owner);
  await page.getByRole("link", { name: "Reconciliation" }).click();
  await expect(page).toHaveURL(/\/dashboard\/reconciliation/);
  await page.goto(`/dashboard/reconciliation?binding=${s.bindingId}&period=month&date=2026-04-15`);
  await expect(page.getByTestId("period-label")).toHaveText("2026-04-01 → 2026-04-30");
  await expect(page.getByTestId("reconciliation-verdict")).toContainText("4 documents need a look");
  await expect(rows(page)).toHaveCount(5);
  const total = page.locator('[data-total="GBP-invoice"]');
  await expect(total).toContainText("£174.75");
  await expect(total).toContainText("£199.26");
  await expect(total).toContainText("+£24.51");
  await expect(page.getByRole("img", { name: /Documents matched and not matched per day/ })).toBeVisible();
  await shot(page, info, "reconciliation-month");

  await page.locator('[data-class-toggle="changed_in_sage"]').click();
  await expect(page).toHaveURL(/class=changed_in_sage/);
  await expect(rows(page)).toHaveCount(1);
  const edited = rows(page).first();
  await expect(edited).toContainText("Edited in Sage after posting");
  await expect(edited).toContainText("−£2.50");
  // "View in Sage" needs a Sage UI with per-document URLs (the emulator's; SAGE_UI_BASE_URL).
  const sageLink = edited.getByRole("link", { name: "View in Sage" });
  if (process.env.SAGE_UI_BASE_URL) await expect(sageLink).toHaveAttribute("href", /\/ui\/sales_invoices\/b{32}$/);
  else await expect(sageLink).toHaveCount(0);

  // Row → run detail → back to the row.
  await edited.getByRole("link", { name: "Run" }).click();
  await expect(page).toHaveURL(new RegExp(`run=${s.editedRunId}`));
  await page.getByTestId("run-reconciliation-link").click();
  await expect(page).toHaveURL(new RegExp(`row=${s.editedRowId}`));
  await expect(page.locator(`[data-recon-row="${s.editedRowId}"]`)).toBeVisible();

  const csv = await page.request.get(`/api/tenants/${s.tenantId}/reconciliations/${s.reconciliationId}/csv`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.trim().split("\r\n")).toHaveLength(6);
  expect(text).toContain("2026-04-03,invoice,100009002,9002,GBP,30.00,27.50,-2.50,changed_in_sage,edited");
});

test("keyboard: j/k move through the rows, Enter opens the run", async ({ page }) => {
  const s = seed();
  await signIn(page, MERCHANT.owner);
  await page.goto(`/dashboard/reconciliation?binding=${s.bindingId}&period=month&date=2026-04-15`);
  await expect(rows(page)).toHaveCount(5);
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`run=${s.editedRunId}`));
});

test("a running reconciliation shows its progress; a period never reconciled says what to do", async ({ page }, info) => {
  const s = seed();
  await signIn(page, MERCHANT.owner);
  await page.goto(`/dashboard/reconciliation?binding=${s.bindingId}&period=day&date=2026-05-01`);
  const bar = page.getByRole("progressbar", { name: "Reconciliation progress" });
  await expect(bar).toHaveAttribute("aria-valuenow", "40");
  await expect(page.getByText("Reading Sage's invoices (page 2 of 5)")).toBeVisible();
  await shot(page, info, "reconciliation-running");

  await page.getByRole("button", { name: "Week" }).click();
  await expect(page).toHaveURL(/period=week/);
  await expect(page.getByTestId("period-label")).toHaveText("2026-04-27 → 2026-05-03");
  await expect(page.getByTestId("reconciliation-empty")).toContainText("has not been reconciled yet");
  await expect(page.getByTestId("reconciliation-empty").getByRole("button", { name: "Run now" })).toBeVisible();
});

test("another workspace sees none of it", async ({ page }) => {
  const s = seed();
  await signIn(page, OWNER);
  await page.goto(`/dashboard/reconciliation?binding=${s.bindingId}&period=month&date=2026-04-15&run=${s.reconciliationId}`);
  await expect(page.getByText("100009002")).toHaveCount(0);
  const csv = await page.request.get(`/api/tenants/${s.tenantId}/reconciliations/${s.reconciliationId}/csv`);
  expect(csv.status()).toBe(403);
});

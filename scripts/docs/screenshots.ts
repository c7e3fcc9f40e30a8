/**
 * Screenshots of the current UI for docs/demo.md, taken in Chromium with Playwright against a running
 * production build. The docs' set comes from a fresh `npm run demo` once its first day is played
 * (the `[demo] reconciliation moment` line), before anything is clicked, so the pictures show what
 * a presenter opens:
 *
 *   npx tsx scripts/docs/screenshots.ts --demo http://localhost:3000
 *
 * Without `--demo` it signs in to the browser tests' seed instead (e2e/global-setup.ts), for a
 * look at the layout with the seed's edge cases:
 *
 *   npx playwright test e2e/status-chip.spec.ts   # seeds the test database
 *   npx next start -p 3117 &                       # same DATABASE_URL
 *   npx tsx scripts/docs/screenshots.ts http://127.0.0.1:3117
 *
 * Small PNGs (1 × scale, 1100 × 720; the phone shot at 390 wide, its first 1,400 px) so the repository stays light.
 */
import { readFileSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { DEMO_USER } from "../demo/user";
import { findChromium } from "../test/chromium";

const args = process.argv.slice(2);
const demo = args.includes("--demo");
const base = args.find((a) => !a.startsWith("--")) ?? "http://127.0.0.1:3117";
const who = demo ? DEMO_USER : { email: "operator@acme.test", password: "acme-operator-password" };
const out = (name: string) => `docs/screenshots/${name}.png`;

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

/** The failed run the drawer shot opens: the seed names its own; the demo has the day's one failure. */
async function openFailedRun(page: Page): Promise<void> {
  if (!demo) {
    const { failedRunId } = JSON.parse(readFileSync("test-results/seed-history.json", "utf8")) as { failedRunId: string };
    await page.goto(`${base}/dashboard/sync?run=${failedRunId}`);
  } else {
    await page.goto(`${base}/dashboard/sync?status=failed`);
    await page.locator("tbody tr[data-row-id]").first().click();
  }
  await page.getByRole("dialog").waitFor();
}

const found = findChromium();
const browser = await chromium.launch({ executablePath: "path" in found ? found.path : undefined, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  await signIn(page);
  await page.goto(`${base}/dashboard`);
  await page.getByTestId("money").waitFor();
  await page.screenshot({ path: out("home") });
  // Skipped or Failed: the rows whose Reason column has something to say.
  await page.goto(`${base}/dashboard/sync?status=skipped_by_policy,failed`);
  await page.locator("tbody tr[data-row-id]").first().waitFor();
  await page.screenshot({ path: out("sync-history") });
  await openFailedRun(page);
  await page.screenshot({ path: out("run-drawer") });
  await page.goto(`${base}/dashboard/invoices?sort=increment&dir=asc`);
  await page.locator("[data-payment-state]").first().waitFor();
  await page.screenshot({ path: out("invoices") });

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone);
  await phone.goto(`${base}/dashboard/sync`);
  await phone.locator("tbody tr[data-row-id]").first().waitFor();
  // Down to the first rows: the Menu button, the filters stacked, and the table's key columns.
  await phone.screenshot({ path: out("phone-sync-history"), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1400 } });
} finally {
  await browser.close();
}

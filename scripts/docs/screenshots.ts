/**
 * Screenshots of the current UI for docs/demo.md, taken in Chromium with Playwright against a running
 * production build whose database holds the browser tests' seed (e2e/global-setup.ts):
 *
 *   npx playwright test e2e/status-chip.spec.ts   # seeds the test database
 *   npx next start -p 3117 &                       # same DATABASE_URL
 *   npx tsx scripts/docs/screenshots.ts http://127.0.0.1:3117
 *
 * Small PNGs (1 × scale, 1100 × 720, one phone shot at 390 × 844) so the repository stays light.
 */
import { readFileSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";
import { findChromium } from "../test/chromium";

const base = process.argv[2] ?? "http://127.0.0.1:3117";
const out = (name: string) => `docs/screenshots/${name}.png`;
const history = JSON.parse(readFileSync("test-results/seed-history.json", "utf8")) as { failedRunId: string };

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

const found = findChromium();
const browser = await chromium.launch({ executablePath: "path" in found ? found.path : undefined, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
  await signIn(page, "operator@acme.test", "acme-operator-password");
  await page.goto(`${base}/dashboard`);
  await page.getByTestId("money").waitFor();
  await page.screenshot({ path: out("home") });
  await page.goto(`${base}/dashboard/sync`);
  await page.locator("tbody tr[data-row-id]").first().waitFor();
  await page.screenshot({ path: out("sync-history") });
  await page.goto(`${base}/dashboard/sync?run=${history.failedRunId}`);
  await page.getByRole("dialog").waitFor();
  await page.screenshot({ path: out("run-drawer") });
  await page.goto(`${base}/dashboard/invoices?sort=increment&dir=asc`);
  await page.locator("[data-payment-state]").first().waitFor();
  await page.screenshot({ path: out("invoices") });

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone, "operator@acme.test", "acme-operator-password");
  await phone.goto(`${base}/dashboard/sync`);
  await phone.locator("tbody tr[data-row-id]").first().waitFor();
  await phone.screenshot({ path: out("phone-sync-history") });
} finally {
  await browser.close();
}

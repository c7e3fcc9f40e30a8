import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { MERCHANT, signInAs } from "./seed-merchant";

/**
 * Alerts: a member chooses their kinds (kept across reloads), the owner sets the workspace webhook
 * (secret shown once), rotates its secret and sends a test; the alert log lists each delivery with its
 * channel, recipient and outcome. This server has no SMTP server (email off, said on both pages) and
 * no executor, so the webhook delivery waits as "Retrying". A viewer cannot touch the webhook.
 */

const shot = async (page: Page, name: string, info: TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

let receiver: http.Server;
let hookUrl: string;
test.beforeAll(async () => {
  receiver = http.createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/ledger`;
});
test.afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

test("owner: choose alerts, set the webhook and rotate its secret, send a test, read the alert log", async ({ page }, info) => {
  await signInAs(page, MERCHANT.owner);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  await expect(page.getByTestId("email-off")).toContainText("no LEDGER_SMTP_URL");

  // Owners get every kind by default; unticking one sticks.
  const stuck = page.getByRole("checkbox", { name: /Stuck runs/ });
  await expect(stuck).toBeChecked();
  await stuck.uncheck();
  await page.getByRole("button", { name: "Save my alerts" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your alert choices are saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: /Stuck runs/ })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: /Failed runs/ })).toBeChecked();

  // The log starts empty, saying what to do.
  await page.goto("/dashboard/alerts/log");
  await expect(page.getByRole("heading", { name: "No alerts sent yet" })).toBeVisible();
  await page.getByRole("link", { name: "Choose alerts and send a test" }).click();

  await page.getByLabel("Webhook URL").fill("ftp://example.test/hook");
  await page.getByRole("button", { name: "Set webhook" }).click();
  await expect(page.getByText(/Only http and https URLs|Enter the full URL/)).toBeVisible();
  await page.getByLabel("Webhook URL").fill(hookUrl);
  await page.getByRole("button", { name: "Set webhook" }).click();
  const secret = page.getByRole("textbox", { name: "Signing secret" });
  await expect(secret).toHaveValue(/^whsec_/);
  const first = await secret.inputValue();
  await expect(page.getByText(`Sending to ${hookUrl}`)).toBeVisible();
  await shot(page, "alerts-settings", info);

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByText(/New signing secret/)).toBeVisible();
  const rotated = await page.getByRole("textbox", { name: "Signing secret" }).last().inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(first);

  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Test alert on its way: see the alert log for whether it arrived.")).toBeVisible({ timeout: 30_000 });

  await page.getByRole("link", { name: "Alert log" }).click();
  const table = page.getByRole("table", { name: "Alerts sent" });
  await expect(table.getByRole("row", { name: `Test alert by email to ${MERCHANT.owner.email}: Email off` })).toBeVisible();
  await expect(table.getByRole("row", { name: /Test alert by webhook to 127\.0\.0\.1:\d+: (Retrying|Delivered)/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /by email/ })).toContainText("Email off");
  await expect(table.locator("time").first()).toHaveAttribute("title", /UTC/);
  await shot(page, "alert-log", info);
});

test("viewer: chooses their own alerts but cannot see or change the webhook's controls", async ({ page }) => {
  await signInAs(page, MERCHANT.viewer);
  await page.goto("/dashboard/alerts");
  // Viewers start with nothing ticked (owners and admins get everything).
  await expect(page.getByRole("checkbox", { name: /Failed runs/ })).not.toBeChecked();
  await expect(page.getByText("Only owners set the workspace webhook (your role is viewer).")).toBeVisible();
  await expect(page.getByLabel("Webhook URL")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
});

import { expect, test, type Request } from "@playwright/test";
import { MERCHANT, merchantSeed, signInAs } from "./seed-merchant";

/**
 * Binding settings: an admin edits, meets the server's inline errors, fixes them, saves a new version
 * and finds it in the history; a viewer reads the same page without Save, and the save action itself
 * refuses the viewer.
 */

const shot = async (page: import("@playwright/test").Page, name: string, info: import("@playwright/test").TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

test.describe.configure({ mode: "serial" });

let saveRequest: { url: string; headers: Record<string, string>; body: string } | null = null;

test("an admin saves settings: validation errors first, then a new version in the history", async ({ page }, info) => {
  const { bindingId } = merchantSeed();
  await signInAs(page, MERCHANT.admin);
  await page.goto(`/dashboard/bindings/${bindingId}/settings`);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await expect(page.getByText("harbour.example ↔ Harbour Goods Ltd (UK)").first()).toBeVisible();
  for (const card of [
    "Sync Behaviour",
    "Default Mappings",
    "Payment Method Map",
    "Tax Rate Routing",
    "Commercial",
    "Multi-currency",
    "B2C Consolidation",
  ]) {
    await expect(page.getByRole("heading", { name: card, exact: true })).toBeVisible();
  }
  // reference-data age, the store's payment methods unreachable → typed codes, the stale bank id in red
  await expect(page.getByText(/Sage data updated \d+ min ago/)).toBeVisible();
  await expect(page.getByText(/did not answer, so its payment methods could not be listed/)).toBeVisible();
  const bank = page.getByRole("combobox", { name: "Default bank account" });
  await expect(bank).toHaveValue("(missing) BA_CLOSED");
  await expect(bank).toHaveClass(/text-bad/);
  await expect(page.getByText(/Included from the Scale plan; this workspace is on Growth/)).toBeVisible();
  await shot(page, "settings-admin", info);

  // Edit: B2C on with a 10-character reference, a new tax mapping picked by type-ahead.
  await page.getByRole("switch", { name: "Consolidate consumer sales" }).check();
  await page.getByLabel("Shared contact reference").fill("WEBSALESUK");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await page.getByRole("button", { name: "+ Add mapping" }).click();
  await page.getByRole("textbox", { name: "Magento %" }).last().fill("17.5");
  const rate = page.getByRole("combobox", { name: "Sage rate for 17.5%" });
  await rate.fill("exem");
  await page.getByRole("option", { name: /Exempt/ }).click();
  await expect(rate).toHaveValue("Exempt");

  page.on("request", (r: Request) => {
    if (r.method() === "POST" && r.headers()["next-action"] && !saveRequest) {
      void r.allHeaders().then((headers) => (saveRequest = { url: r.url(), headers, body: r.postData() ?? "" }));
    }
  });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not saved: 2 fields need attention." })).toBeVisible();
  await expect(page.getByText("At most 9 characters. Sage allows 10 and Ledger adds a currency letter (WEBSALESE).")).toBeVisible();
  await expect(page.getByText(/Not found in your Sage data/)).toBeVisible();
  await shot(page, "settings-validation-errors", info);

  // Fix both and save.
  await page.getByLabel("Shared contact reference").fill("WEBSHOP");
  await bank.fill("current");
  await page.getByRole("option", { name: /Current Account/ }).click();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 3. Applies from the next event." })).toBeVisible();
  // Issue 17: said beside the button too, where the eye is.
  await expect(page.getByTestId("save-status")).toHaveText("Saved ✓");
  await expect(page.getByText("Unsaved changes")).toHaveCount(0);
  await expect(page.getByText("At most 9 characters. Sage allows 10")).toHaveCount(0);

  await page.getByRole("button", { name: "History" }).click();
  const panel = page.getByRole("complementary", { name: "Version history" });
  const v3 = panel.getByRole("listitem").filter({ hasText: "Version 3" }).first();
  await expect(v3).toContainText("by Ade Admin");
  await expect(v3).toContainText("b2c_consolidation.enabled");
  await expect(v3).toContainText('tax_rate_map["17.50"]');
  await expect(v3).toContainText("default_bank_account_id");
  // Names, not keys and ids (issue 17): the bank account as Sage names it.
  await expect(v3.locator('[data-change="default_bank_account_id"]')).toContainText(/^Default bank account: .* → Current Account/);
  await expect(panel.getByRole("listitem").filter({ hasText: "Version 1" }).first()).toContainText("Ledger defaults");
  await panel.getByRole("button", { name: "View version 2" }).click();
  await expect(panel.getByRole("heading", { name: "Version 2" })).toBeVisible();
  await expect(panel.getByText("BA_CLOSED")).toBeVisible();
  await shot(page, "settings-history", info);
  expect(saveRequest, "the save went through a server action").not.toBeNull();
});

test("a viewer reads settings but cannot save, not even by calling the action", async ({ browser }, info) => {
  const { bindingId } = merchantSeed();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, MERCHANT.viewer);
  await page.goto(`/dashboard/bindings/${bindingId}/settings`);
  await expect(page.getByText(/View only: your role \(viewer\) cannot change settings/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Revert" })).toHaveCount(0);
  await expect(page.getByRole("switch", { name: "Consolidate consumer sales" })).toBeDisabled();
  await expect(page.getByRole("combobox", { name: "Default tax rate" })).toBeDisabled();
  await expect(page.getByText("Version 3")).toBeVisible();
  await shot(page, "settings-viewer", info);

  // Replay the admin's save request with the viewer's session: the server must refuse it.
  expect(saveRequest).not.toBeNull();
  const { url, headers, body } = saveRequest!;
  const replay = Object.fromEntries(
    Object.entries(headers).filter(([k]) => !["cookie", "content-length", "host"].includes(k.toLowerCase()) && !k.startsWith(":")),
  );
  const res = await page.request.post(url, { headers: replay, data: body });
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain("Your role (viewer) can view settings but not change them.");
  await page.reload();
  await expect(page.getByText("Version 3")).toBeVisible();
  await context.close();
});

test("hints follow the value in the field, before anything is saved", async ({ page }) => {
  const { bindingId } = merchantSeed();
  await signInAs(page, MERCHANT.admin);
  await page.goto(`/dashboard/bindings/${bindingId}/settings`);
  const since = page.getByLabel("Sync documents created since");
  await since.fill("2026-01-01");
  await expect(page.getByText("Documents dated before 2026-01-01 (UTC) are skipped as older than the cut-over.")).toBeVisible();
  await since.fill("");
  await expect(page.getByText("Empty: every document syncs, whatever its date.")).toBeVisible();
  const prefix = page.getByLabel("Invoice number prefix");
  await prefix.fill("AB-");
  await expect(page.getByText("Invoice 100012345 reaches Sage as AB-100012345; credit notes likewise.")).toBeVisible();
});

import { magentoAdmin, sageAdmin } from "../sim/magento/scenario/clients";
import { DRAIN_SECONDS, expect, test } from "./journey/stack";
import { captureNextAction, chipHistory, replayAction, shot, signUp, watchChips, type CapturedAction } from "./journey/ui";

/**
 * The acceptance journey, in Chromium, through the real UI against a fresh stack (e2e/journey/stack.ts):
 * a new owner signs up → pairs the simulated Magento store with a code from its admin UI → connects
 * Sage through the emulator's consent page → saves settings (an inline validation error first) →
 * invoices raised in the store turn ⏳ → ✓ in the Invoices view without a reload → the history is
 * filtered to a skip reason → a failed run shows Sage's message, the setting behind it is fixed and
 * the run retried to ✓ → the rest are bulk-retried → a viewer is invited and cannot change settings
 * → the owner of another workspace sees none of it.
 *
 * Everything Ledger holds is made through its UI. The store's orders and the Sage business's past
 * (a deleted contact whose reference Sage keeps reserved) go through the simulators' own admin APIs,
 * as a shop and its accountant would have made them.
 */

const OWNER = { name: "Jo Journey", email: "jo@journey-shop.test", password: "journey-owner-password" };
const WORKSPACE = "Journey Shop";
const VIEWER = { name: "Vic Viewer", email: "vic@journey-shop.test", password: "journey-viewer-password" };
const RIVAL = { name: "Rae Rival", email: "rae@rival-journey.test", password: "journey-rival-password" };
const BUSINESS = { id: "4d1c2a6b8f3e4a0c9b7d5e1f2a3b4c5d", name: "Ledger Demo Ltd" };
/** What the accountant once used in Sage: a deleted contact keeps its reference reserved. */
const TAKEN_REFERENCE = "WEBSALES";
const FIXED_REFERENCE = "WEBSHOP";

/** How long a raised invoice may take to settle: a few drains plus the executor and Sage. */
const SETTLE_MS = 120_000;

test("acceptance journey: sign up → connect both ends → settings → sync → skip, fail, fix, retry → members → isolation", async ({
  page,
  browser,
  stack,
}) => {
  test.setTimeout(540_000);
  const { urls } = stack;
  const app = (p: string) => `${urls.app}${p}`;
  const magento = magentoAdmin(urls.magento);
  const runs = () => page.locator("tbody tr[data-row-id]");
  let bindingId = "";
  let failedRunId = "";
  let saveAction: CapturedAction | null = null;

  await test.step("a new owner signs up", async () => {
    await signUp(page, urls.app, OWNER, WORKSPACE);
    await expect(page.getByText("Get set up")).toBeVisible();
    await expect(page.getByText("0 of 4 done")).toBeVisible();
    await shot(page, "01-home-checklist");
  });

  await test.step("Connect Magento with a pairing code from the store's admin", async () => {
    const admin = await page.context().newPage();
    await admin.goto(`${urls.magentoAdmin}/connection`);
    await expect(admin.getByText("Not paired")).toBeVisible();
    await admin.getByRole("button", { name: "Generate pairing code" }).click();
    await expect(admin.getByText("New pairing code generated.")).toBeVisible();
    const code = (await admin.locator(".code").innerText()).trim();
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    const storeUrl = (await admin.locator("p", { hasText: "Magento base URL to give the ledger" }).locator("code").innerText()).trim();
    await shot(admin, "02-magento-pairing-code");

    await page.getByRole("link", { name: "Pair a store →" }).click();
    await expect(page).toHaveURL(/\/dashboard\/connect-magento$/);
    await page.getByLabel(/^Store address/).fill(storeUrl);
    await page.getByLabel(/^Pairing code/).fill(code);
    await shot(page, "03-connect-magento-form");
    await page.getByRole("button", { name: "Pair store" }).click();
    await expect(page).toHaveURL(/\/dashboard\/bindings\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    bindingId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    await expect(page.getByText("Sage not connected yet.")).toBeVisible();
    await shot(page, "04-binding-paired");

    await admin.reload();
    await expect(admin.getByText("Paired", { exact: true })).toBeVisible();
    await shot(admin, "05-magento-paired");
    await admin.close();
  });

  await test.step("Connect Sage through the emulator's consent page", async () => {
    await page.getByRole("link", { name: "Connect Sage" }).click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/connect-sage\\?binding=${bindingId}`));
    await shot(page, "06-connect-sage");
    await page.getByRole("button", { name: "Continue to Sage" }).click();
    // Sage's own page, on the emulator's origin.
    await expect(page).toHaveURL(new RegExp(`^${urls.sage}/oauth2/auth/central`));
    await expect(page.getByRole("heading", { name: "Sage Accounting" })).toBeVisible();
    await page.getByLabel(BUSINESS.name).check();
    await shot(page, "07-sage-consent");
    await page.getByRole("button", { name: "Allow" }).click();
    await expect(page).toHaveURL(new RegExp(`^${urls.app}/dashboard/`));
    // The emulator's Sage user has two businesses, so Ledger asks which one this binding posts to.
    if (new URL(page.url()).searchParams.has("selection")) {
      await expect(page.getByRole("heading", { name: "Choose your Sage business" })).toBeVisible();
      await page.getByLabel(BUSINESS.name).check();
      await shot(page, "08-business-picker");
      await page.getByRole("button", { name: "Use this business" }).click();
    }
    await expect(page).toHaveURL(new RegExp(`/dashboard/bindings/${bindingId}\\?connected=sage`));
    await expect(page.getByRole("status").filter({ hasText: "Sage is connected." })).toBeVisible();
    await expect(page.getByRole("heading", { name: new RegExp(BUSINESS.name) }).first()).toBeVisible();
    await shot(page, "09-binding-connected");
  });

  await test.step("Settings: an inline validation error first, then a saved version in the history", async () => {
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/bindings/${bindingId}/settings$`));
    await expect(page.getByRole("heading", { name: "B2C Consolidation", exact: true })).toBeVisible();
    await shot(page, "10-settings-defaults");

    // Skip zero-value invoices; consolidate consumer sales on a shared contact with a 10-character reference.
    await page.getByRole("switch", { name: "Sync zero-value invoices" }).uncheck();
    await page.getByRole("switch", { name: "Consolidate consumer sales" }).check();
    await page.getByLabel("Shared contact reference").fill("WEBSALESUK");
    const captured = captureNextAction(page);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /Not saved: \d+ fields? need/ })).toBeVisible();
    await expect(page.getByText("At most 9 characters. Sage allows 10 and Ledger adds a currency letter (WEBSALESE).")).toBeVisible();
    await expect(page.getByText("Pick the sales account invoice lines are posted to.")).toBeVisible();
    await shot(page, "11-settings-inline-errors");
    await expect.poll(() => captured() !== null).toBe(true);
    saveAction = captured();

    await page.getByLabel("Shared contact reference").fill(TAKEN_REFERENCE);
    const sales = page.getByRole("combobox", { name: "Sales ledger account" });
    await sales.fill("4000");
    await page.getByRole("option", { name: /4000/ }).first().click();
    const tax = page.getByRole("combobox", { name: "Default tax rate" });
    await tax.fill("standard");
    await page
      .getByRole("option", { name: /Standard/ })
      .first()
      .click();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved as version 2. Applies from the next event." })).toBeVisible();
    await expect(page.getByText("At most 9 characters.")).toHaveCount(0);

    await page.getByRole("button", { name: "History" }).click();
    const panel = page.getByRole("complementary", { name: "Version history" });
    const v2 = panel.getByRole("listitem").filter({ hasText: "Version 2" }).first();
    await expect(v2).toContainText(`by ${OWNER.name}`);
    await expect(v2).toContainText("b2c_consolidation.enabled");
    await expect(v2).toContainText("sync_zero_value_invoices");
    await shot(page, "12-settings-history");
    await page.keyboard.press("Escape");
  });

  const raised = { b2b: [] as number[], guests: [] as number[], zero: 0 };

  await test.step("invoices raised in the store turn ⏳ Pending → ✓ Synced in the Invoices view, without a reload", async () => {
    await page.goto(app("/dashboard/invoices"));
    await expect(page.getByRole("heading", { name: "No invoices synced yet" })).toBeVisible();
    await watchChips(page, "invoices-view");

    // The accountant's old, deleted contact still holds the reference the settings use (Sage's rule).
    expect(
      await sageAdmin(urls.sage).reserveDeletedContactReference(BUSINESS.id, {
        name: "Web Sales (old)",
        reference: TAKEN_REFERENCE,
        currency_id: "GBP",
      }),
    ).toBe(true);
    // Sage asks Ledger to slow down on the first document posts (as during a rush): Ledger waits it
    // out, so each of these invoices is visibly ⏳ Pending for several seconds before it is ✓.
    await sageAdmin(urls.sage).addFault({ method: "POST", path: "/v3.1/sales_invoices", kind: "rate_limit", retry_after: 10, count: 2 });

    const bag = await magento.createProduct({
      sku: "JRN-BAG",
      name: "Journey Messenger Bag",
      type_id: "simple",
      price: 40,
      tax_class_id: 2,
      stock_qty: 100,
    });
    expect(bag.entity_id).toBeGreaterThan(0);
    const firm = await magento.createCustomer({
      email: "buyer@trail-supplies.test",
      firstname: "Tam",
      lastname: "Trail",
      company: "Trail Supplies Ltd",
      country: "GB",
      group_id: 2,
    });
    // The firm registers first and orders later. Magento's contact carries no profile company
    // (wire-protocol: "profile company is not read"), so what keeps the firm's first invoice off the
    // shared B2C contact is its own Sage contact, made by this customer.upserted run: wait for the
    // store to show it synced before the orders arrive.
    await expect
      .poll(
        async () => (await magento.mirror()).find((r) => r.entity_type === "customer" && r.magento_id === firm.entity_id)?.sync_status,
        { timeout: SETTLE_MS },
      )
      .toBe("synced");
    for (const qty of [2, 5]) {
      const inv = await magento.createOrder({
        customer_id: firm.entity_id,
        lines: [{ sku: "JRN-BAG", qty }],
        payment_method: "checkmo",
        invoice_state: "open",
      });
      raised.b2b.push(inv.entity_id);
    }
    for (const [first, last] of [
      ["Gus", "Guest"],
      ["Gia", "Guest"],
      ["Gil", "Guest"],
    ]) {
      const inv = await magento.createOrder({
        guest: { email: `${first.toLowerCase()}@guests.test`, firstname: first, lastname: last },
        country: "GB",
        lines: [{ sku: "JRN-BAG", qty: 1 }],
        payment_method: "checkmo",
        invoice_state: "open",
      });
      raised.guests.push(inv.entity_id);
    }
    const sample = await magento.createOrder({
      guest: { email: "sample@guests.test", firstname: "Sam", lastname: "Sample" },
      country: "GB",
      lines: [{ sku: "JRN-BAG", qty: 1, price: 0 }],
      payment_method: "checkmo",
      invoice_state: "open",
    });
    expect(sample.grand_total).toBe(0);
    raised.zero = sample.entity_id;

    const chip = (id: number) => page.locator(`tr[data-entity-id="${id}"] [data-chip]`);
    const [first] = raised.b2b;
    await expect(chip(first)).toHaveAttribute("data-chip", "pending", { timeout: SETTLE_MS });
    await shot(page, "13-invoices-pending");
    for (const id of raised.b2b) await expect(chip(id)).toHaveAttribute("data-chip", "synced", { timeout: SETTLE_MS });
    for (const id of raised.guests) await expect(chip(id)).toHaveAttribute("data-chip", "failed", { timeout: SETTLE_MS });
    await expect(chip(raised.zero)).toHaveAttribute("data-chip", "skipped", { timeout: SETTLE_MS });
    await expect(page.locator(`tr[data-entity-id="${first}"]`)).toContainText(/SI-\d+/);
    await shot(page, "14-invoices-settled");

    const seen = await chipHistory(page);
    expect(seen.loaded, "the Invoices view was never reloaded").toBe("invoices-view");
    for (const id of raised.b2b) expect(seen.chips[String(id)], `chips seen for invoice ${id}`).toEqual(["pending", "synced"]);
    expect(page.url()).toBe(app("/dashboard/invoices"));
    test.info().annotations.push({ type: "chips seen", description: `drain every ${DRAIN_SECONDS} s: ${JSON.stringify(seen.chips)}` });
  });

  await test.step("Sync history: filter to skipped_by_policy, then to one reason code", async () => {
    await page.getByRole("link", { name: "Sync history" }).first().click();
    await expect(page).toHaveURL(/\/dashboard\/sync$/);
    await expect(runs().first()).toBeVisible();
    await shot(page, "15-sync-history");

    await page.locator('[data-status-toggle="skipped_by_policy"]').click();
    await expect(page).toHaveURL(/status=skipped_by_policy/);
    await expect(runs().first()).toBeVisible();
    await expect(page.locator('tbody [data-chip]:not([data-chip="skipped"])')).toHaveCount(0);
    await shot(page, "16-sync-skipped");

    await page.getByLabel("Reason or error code").selectOption("zero_value_invoice");
    await expect(page).toHaveURL(/status=skipped_by_policy/);
    await expect(page).toHaveURL(/code=zero_value_invoice/);
    await expect(runs()).toHaveCount(1);
    await expect(runs().first()).toContainText(`invoice #${raised.zero}`);
    await expect(page.getByTestId("result-count")).toContainText("Showing 1 of 1");
    await shot(page, "17-sync-zero-value");
  });

  await test.step("a failed run shows Sage's message; fix the setting, Retry, and it turns ✓", async () => {
    await page.goto(app("/dashboard/sync?status=failed"));
    await expect(runs()).toHaveCount(raised.guests.length);
    await runs().first().locator('[data-chip="failed"]').click();
    await expect(page).toHaveURL(/run=/);
    failedRunId = new URL(page.url()).searchParams.get("run") ?? "";
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByTestId("sage-message")).toContainText("reference: has already been taken");
    await expect(drawer.getByText("What Sage said")).toBeVisible();
    await expect(drawer.locator("code", { hasText: /^provider$/ }).first()).toBeVisible();
    await shot(page, "18-failed-run-drawer");

    await page.goto(app(`/dashboard/bindings/${bindingId}/settings`));
    await page.getByLabel("Shared contact reference").fill(FIXED_REFERENCE);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved as version 3. Applies from the next event." })).toBeVisible();
    await shot(page, "19-settings-fixed");

    await page.goto(app(`/dashboard/sync?status=failed&run=${failedRunId}`));
    const runDrawer = page.getByRole("dialog");
    await runDrawer.getByRole("button", { name: "Retry", exact: true }).click();
    await expect(runDrawer.getByRole("status").filter({ hasText: /Queued again/ })).toBeVisible();
    // The drawer follows the run live: no reload.
    await expect(runDrawer.locator("[data-chip]").first()).toHaveAttribute("data-chip", "synced", { timeout: SETTLE_MS });
    await expect(runDrawer).toContainText(/SI-\d+/);
    await shot(page, "20-retried-run-synced");
  });

  await test.step("bulk retry of the filtered failures: the progress bar reaches the end", async () => {
    await page.goto(app("/dashboard/sync?status=failed"));
    const rest = raised.guests.length - 1;
    await expect(runs()).toHaveCount(rest);
    await page.getByLabel("Reason or error code").selectOption("provider");
    await expect(page).toHaveURL(/status=failed/);
    await expect(page).toHaveURL(/code=provider/);
    await expect(runs()).toHaveCount(rest);
    await page.getByRole("button", { name: `Retry ${rest} runs` }).click();
    const confirm = page.getByRole("alertdialog", { name: "Confirm bulk retry" });
    await expect(confirm).toContainText(`Retry ${rest} failed or skipped runs with the current settings?`);
    await shot(page, "21-bulk-retry-confirm");
    await confirm.getByRole("button", { name: "Yes, retry" }).click();

    const progress = page.getByRole("region", { name: "Bulk retry progress" });
    await expect(progress).toHaveAttribute("data-bulk-retry", "completed", { timeout: SETTLE_MS });
    await expect(progress).toContainText(`Bulk retry finished: ${rest} of ${rest}`);
    const bar = progress.getByRole("progressbar", { name: "Runs processed" });
    await expect(bar).toHaveAttribute("aria-valuemax", String(rest));
    await expect(bar).toHaveAttribute("aria-valuenow", String(rest));
    await expect(page.getByTestId("empty-filtered")).toBeVisible({ timeout: SETTLE_MS });
    await shot(page, "22-bulk-retry-finished");

    await page.goto(app("/dashboard/invoices"));
    for (const id of [...raised.b2b, ...raised.guests]) {
      await expect(page.locator(`tr[data-entity-id="${id}"] [data-chip]`)).toHaveAttribute("data-chip", "synced", { timeout: SETTLE_MS });
    }
    await expect(page.locator(`tr[data-entity-id="${raised.zero}"] [data-chip]`)).toHaveAttribute("data-chip", "skipped");
    await shot(page, "23-invoices-all-settled");

    await page.getByRole("link", { name: "Customers" }).click();
    await expect(page).toHaveURL(/\/dashboard\/customers/);
    await expect(page.locator('[data-customer="1"] [data-chip]')).toHaveAttribute("data-chip", "synced");
    await expect(page.locator('[data-customer="1"]')).toContainText("M1");
    await shot(page, "24-customers");

    // And in Sage: five sales invoices, the consumer ones on the fixed shared contact.
    const sage = await page.context().newPage();
    await sage.goto(`${urls.sageUi}/sales_invoices?business=${BUSINESS.id}`);
    await expect(sage.getByText("SI-5", { exact: true })).toBeVisible();
    await expect(sage.getByText("SI-6", { exact: true })).toHaveCount(0);
    await shot(sage, "24b-sage-sales-invoices");
    await sage.close();
  });

  await test.step("invite a viewer; they join from the link and cannot change settings", async () => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: urls.app });
    await page.goto(app("/dashboard/members"));
    await page.getByLabel("Email").fill(VIEWER.email);
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Create invite link" }).click();
    await expect(page.getByText(`Invitation for ${VIEWER.email} as viewer`)).toBeVisible();
    await page.getByRole("button", { name: "Copy link" }).click();
    await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(await page.getByRole("textbox", { name: "Invite link" }).inputValue());
    expect(link).toMatch(new RegExp(`^${urls.app}/invite/[A-Za-z0-9_-]{43}$`));
    await shot(page, "25-members-invite");

    const context = await browser.newContext();
    try {
      const viewer = await context.newPage();
      await viewer.goto(link);
      await expect(viewer.getByRole("heading", { name: `Join ${WORKSPACE}` })).toBeVisible();
      await shot(viewer, "26-invite-accept");
      await viewer.getByLabel("Your name").fill(VIEWER.name);
      await viewer.getByLabel("Password").fill(VIEWER.password);
      await viewer.getByRole("button", { name: "Create account and join" }).click();
      await expect(viewer).toHaveURL(/\/dashboard$/);
      await expect(viewer.getByText(`${VIEWER.email} · viewer`)).toBeVisible();
      await shot(viewer, "27-viewer-home");

      await viewer.goto(app(`/dashboard/bindings/${bindingId}/settings`));
      await expect(viewer.getByText(/View only: your role \(viewer\) cannot change settings/)).toBeVisible();
      await expect(viewer.getByRole("button", { name: "Save" })).toHaveCount(0);
      await expect(viewer.getByRole("switch", { name: "Consolidate consumer sales" })).toBeDisabled();
      await expect(viewer.getByLabel("Shared contact reference")).toHaveValue(FIXED_REFERENCE);
      await shot(viewer, "28-viewer-settings");

      // The owner's own save request, replayed with the viewer's session: the server refuses it.
      expect(saveAction, "the owner's save went through a server action").not.toBeNull();
      const replay = await replayAction(viewer, saveAction!);
      expect(replay.status).toBe(200);
      expect(replay.text).toContain("Your role (viewer) can view settings but not change them.");
      await viewer.reload();
      await expect(viewer.getByLabel("Shared contact reference")).toHaveValue(FIXED_REFERENCE);
      await viewer.getByRole("button", { name: "History" }).click();
      const history = viewer.getByRole("complementary", { name: "Version history" });
      await expect(history.getByRole("listitem").filter({ hasText: "Version 3" }).first()).toContainText(FIXED_REFERENCE);
      await expect(history.getByText(/Version 4/)).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  await test.step("the owner of another workspace sees nothing of this one", async () => {
    const context = await browser.newContext();
    try {
      const rival = await context.newPage();
      await signUp(rival, urls.app, RIVAL, "Rival Journey Co");
      await rival.goto(app("/dashboard/sync"));
      await expect(rival.getByRole("heading", { name: "Nothing to show yet" })).toBeVisible();
      await expect(rival.locator("tbody tr[data-row-id]")).toHaveCount(0);
      await shot(rival, "29-rival-history-empty");

      await rival.goto(app(`/dashboard/sync?run=${failedRunId}`));
      await expect(rival.getByTestId("run-not-found")).toBeVisible();
      await expect(rival.getByRole("dialog")).not.toContainText("reference");
      await shot(rival, "30-rival-run-not-found");

      for (const path of [`/dashboard/bindings/${bindingId}`, `/dashboard/bindings/${bindingId}/settings`]) {
        const res = await rival.goto(app(path));
        expect(res?.status(), path).toBe(404);
        await expect(rival.getByRole("heading", { name: "Nothing here" })).toBeVisible();
        await expect(rival.locator("body")).not.toContainText(BUSINESS.name);
      }
      await shot(rival, "31-rival-binding-not-found");

      await rival.goto(app("/dashboard/invoices"));
      await expect(rival.getByRole("heading", { name: "No invoices synced yet" })).toBeVisible();
      await shot(rival, "32-rival-invoices-empty");
    } finally {
      await context.close();
    }
  });
});

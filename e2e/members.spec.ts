import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { MERCHANT, signInAs } from "./seed-merchant";

/** Members: the owner invites, the invitee accepts in another browser, roles change, the last owner stays. */

const shot = async (page: Page, name: string, info: TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

const NEWBIE = { email: "newbie@harbour.test", name: "Nell Newbie", password: "newbie-long-password" };

async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByText(`Invitation for ${email} as ${role}`)).toBeVisible();
  return page.getByRole("textbox", { name: "Invite link" }).inputValue();
}

test("invite → sign up from the link in a second browser → role change → removal → re-invite accepted while signed in", async ({
  page,
  browser,
}, info) => {
  await signInAs(page, MERCHANT.owner);
  await page.goto("/dashboard/members");
  const table = page.getByRole("table");
  await expect(table.getByRole("row")).toHaveCount(4); // header + owner, admin, viewer
  await expect(table.getByRole("row", { name: /Hana Owner/ })).toContainText("Last owner");
  await expect(page.getByText("Ledger has no email sending: you send the link.")).toBeVisible();

  const link = await invite(page, NEWBIE.email, "operator");
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("listitem").filter({ hasText: `${NEWBIE.email} · operator` })).toBeVisible();
  await shot(page, "members-invite-link", info);

  // The invitee, in a browser with no session.
  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: `Join ${MERCHANT.tenant}` })).toBeVisible();
  await expect(guest.getByText(`You are invited to ${MERCHANT.tenant} as operator.`)).toBeVisible();
  await shot(guest, "invite-sign-up", info);
  await guest.getByLabel("Your name").fill(NEWBIE.name);
  await guest.getByLabel("Password").fill(NEWBIE.password);
  await guest.getByRole("button", { name: "Create account and join" }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expect(guest.getByRole("heading", { name: MERCHANT.tenant, exact: true })).toBeVisible();
  await expect(guest.getByText(`${NEWBIE.email} · operator`)).toBeVisible();
  // the link works once
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: "This invitation has been used" })).toBeVisible();

  // The owner sees the new member, changes the role, then removes them.
  await page.reload();
  const row = page.getByRole("row", { name: new RegExp(NEWBIE.name) });
  await expect(row.getByRole("combobox", { name: `Role of ${NEWBIE.name}` })).toHaveValue("operator");
  await row.getByRole("combobox", { name: `Role of ${NEWBIE.name}` }).selectOption("viewer");
  await expect(row.getByRole("status")).toHaveText("Role changed to viewer.");
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: `Remove ${NEWBIE.name}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(NEWBIE.name) })).toHaveCount(0);

  // Invited again: this time they are signed in already and accept with one click.
  const again = await invite(page, NEWBIE.email, "admin");
  await guest.goto(again);
  await expect(guest.getByText(`Signed in as ${NEWBIE.email}.`)).toBeVisible();
  await guest.getByRole("button", { name: `Join ${MERCHANT.tenant}` }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  await expect(guest.getByText(`${NEWBIE.email} · admin`)).toBeVisible();
  await shot(guest, "invitee-dashboard", info);
  await other.close();
});

test("members who are not owners read the list without controls", async ({ browser }, info) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, MERCHANT.viewer);
  await page.goto("/dashboard/members");
  await expect(page.getByText("Only owners manage members (your role is viewer).")).toBeVisible();
  await expect(page.getByRole("row", { name: /Hana Owner/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await shot(page, "members-viewer", info);
  await context.close();
});

test("an invitation link that does not exist reveals nothing", async ({ page }) => {
  await page.goto("/invite/not-a-real-token-at-all");
  await expect(page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
});

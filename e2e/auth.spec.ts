import { expect, test } from "@playwright/test";
import { OWNER } from "./fixtures";

test("an unauthenticated visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("sign up → dashboard → sign out → sign in again", async ({ page }, info) => {
  const email = `new-${Date.now()}@shop.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Nia New");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByLabel("Workspace name").fill("Nia's Shop");
  await page.getByRole("button", { name: "Create account" }).click();
  // The browser's own minlength check blocks the short password before the server sees it.
  await expect(page).toHaveURL(/\/sign-up/);
  await page.getByLabel("Password").fill("a-much-longer-password");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Nia's Shop" })).toBeVisible();
  await expect(page.getByText("Get set up")).toBeVisible();
  await info.attach("dashboard-home", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-much-longer-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Nia's Shop" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That email and password don't match an account.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signing up twice with one email explains what to do", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Dup");
  await page.getByLabel("Work email").fill(OWNER.email);
  await page.getByLabel("Password").fill("another-long-password");
  await page.getByLabel("Workspace name").fill("Dup Co");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists — sign in instead.")).toBeVisible();
});

test("every answer refuses framing, error pages included, and production sends HSTS", async ({ request }) => {
  for (const [path, status] of [
    ["/no-such-page", 404],
    ["/api/tenants/not-a-tenant/runs", 404],
    ["/api/tenants/00000000-0000-4000-8000-000000000000/runs", 401],
    ["/sign-in", 200],
    // Webhook deliveries skip proxy.ts: next.config.ts sets these, Next's own 405 included.
    ["/webhooks/magento/00000000-0000-4000-8000-000000000000/invoice.created", 405],
  ] as const) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(status);
    const h = res.headers();
    expect(h["content-security-policy"], path).toBe("frame-ancestors 'none'");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["strict-transport-security"], path).toMatch(/^max-age=\d+; includeSubDomains$/);
  }
});

test("a foreign page cannot make the JSON API change state", async ({ request }) => {
  const res = await request.post("/api/tenants/00000000-0000-4000-8000-000000000000/runs/00000000-0000-4000-8000-000000000000/retry", {
    headers: { origin: "https://evil.example" },
  });
  expect(res.status()).toBe(403);
});

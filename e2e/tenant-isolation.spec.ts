import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { OWNER, SEED_FILE, type Seed } from "./fixtures";

const seed = (): Seed => JSON.parse(readFileSync(SEED_FILE, "utf8"));

test("API routes answer 401 without a session and 403 for another tenant's id", async ({ page, request }) => {
  const { acmeTenantId, rivalTenantId } = seed();

  const anon = await request.get(`/api/tenants/${acmeTenantId}/bindings`);
  expect(anon.status()).toBe(401);
  expect(await anon.json()).toEqual({ error: "unauthenticated", message: "Sign in to continue." });

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  const own = await page.request.get(`/api/tenants/${acmeTenantId}/bindings`);
  expect(own.status()).toBe(200);
  const ownBody = (await own.json()) as { data: { id: string }[] };
  expect(Array.isArray(ownBody.data)).toBe(true);

  const other = await page.request.get(`/api/tenants/${rivalTenantId}/bindings`);
  expect(other.status()).toBe(403);
  expect((await other.json()).error).toBe("forbidden");

  // A tenant id that does not exist looks exactly like one that belongs to someone else.
  const missing = await page.request.get(`/api/tenants/00000000-0000-4000-8000-000000000000/bindings`);
  expect(missing.status()).toBe(403);
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { MERCHANT, merchantSeed } from "./seed-merchant";

/**
 * The embedded view as Magento's admin shows it: framed by the store's own origin (a tiny page served
 * here on another site — 127.0.0.1 frames localhost), its own in-frame sign-in with a partitioned
 * cookie, and a CSP that lets only that origin frame it.
 */

const shot = async (page: Page, name: string, info: TestInfo) =>
  info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

/** The ledger under a different site name than the framing page (Chromium treats http://localhost as secure). */
const ledger = () => `http://localhost:${process.env.E2E_PORT ?? 3100}`;

/** A stand-in for the Magento admin page that frames the view (as Iframe.php does: no query, no token). */
function adminPage(src: () => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><title>Magento Admin</title><h1>Byte8 → Sage Sync</h1><iframe src="${src()}" referrerpolicy="no-referrer" style="width:960px;height:560px;border:1px solid #ccc"></iframe>`,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A store paired at `origin`, with a Sage-connected binding and two runs. */
async function pairStore(origin: string): Promise<string> {
  const { tenantId } = merchantSeed();
  const [conn] = await sql<{ id: string }>(
    "insert into magento_connections (id, tenant_id, base_url, status, paired_at, updated_at) values (gen_random_uuid(), $1, $2, 'active', now(), now()) returning id",
    [tenantId, `${origin}/`],
  );
  const [binding] = await sql<{ id: string }>(
    "insert into bindings (id, tenant_id, magento_connection_id, status, updated_at) values (gen_random_uuid(), $1, $2, 'active', now()) returning id",
    [tenantId, conn.id],
  );
  for (const [n, status, ref] of [
    [7001, "succeeded", "SI-7001"],
    [7002, "failed", null],
  ] as const) {
    await sql(
      `insert into sync_runs (id, tenant_id, binding_id, event, entity_type, magento_entity_id, magento_increment_id, idempotency_key, status, error_class,
         error_message, provider_reference, policy_version, policy_snapshot, created_at, finished_at, updated_at)
       values (gen_random_uuid(), $1, $2, 'invoice.created', 'invoice', $3, $4, $5, $6, $7, $8, $9, 1, '{}', now() - interval '5 minutes', now(), now())`,
      [
        tenantId,
        binding.id,
        n,
        `00000${n}`,
        `embed-${n}`,
        status,
        status === "failed" ? "provider" : null,
        status === "failed" ? "Contact reference already in use" : null,
        ref,
      ],
    );
  }
  return conn.id;
}

test("framed by the paired store: in-frame sign-in, then recent runs; the CSP names only that origin", async ({
  page,
  request,
  context,
}, info) => {
  // The framing page starts first, so the store's origin (its port) is known when the store is paired.
  let connectionId = "";
  const frameHost = await adminPage(() => `${ledger()}/embed/${connectionId}`);
  try {
    connectionId = await pairStore(frameHost.origin);

    const direct = await request.get(`${ledger()}/embed/${connectionId}`);
    expect(direct.status()).toBe(200);
    expect(direct.headers()["content-security-policy"]).toBe(`frame-ancestors ${frameHost.origin}`);
    expect(direct.headers()["x-frame-options"]).toBeUndefined();
    const unknown = await request.get(`${ledger()}/embed/00000000-0000-4000-8000-000000000000`);
    expect(unknown.headers()["content-security-policy"]).toBe("frame-ancestors 'none'");

    await page.goto(frameHost.origin);
    const frame = page.frameLocator("iframe");
    await expect(frame.getByRole("heading", { name: "Sign in to see Sage sync" })).toBeVisible();
    await shot(page, "embed-sign-in", info);

    // Someone outside the workspace is refused inside the frame.
    await frame.getByLabel("Email").fill("owner@acme.test");
    await frame.getByLabel("Password").fill("acme-owner-password");
    await frame.getByRole("button", { name: "Sign in" }).click();
    await expect(
      frame.getByRole("alert").filter({ hasText: "That email and password don't match a member of this store's Ledger workspace." }),
    ).toBeVisible();

    await frame.getByLabel("Email").fill(MERCHANT.viewer.email);
    await frame.getByLabel("Password").fill(MERCHANT.viewer.password);
    await frame.getByRole("button", { name: "Sign in" }).click();
    await expect(frame.getByRole("heading", { name: "Recent syncs to Sage" })).toBeVisible();
    await expect(frame.getByRole("row", { name: /#000007001/ })).toContainText("SI-7001");
    await expect(frame.locator('[data-chip="synced"]')).toHaveCount(1);
    await expect(frame.locator('[data-chip="failed"]')).toHaveCount(1);
    await expect(frame.getByRole("link", { name: "Open the full dashboard ↗" })).toHaveAttribute("target", "_blank");
    await shot(page, "embed-runs", info);

    const cookie = (await context.cookies()).find((c) => c.name === "ledger_embed");
    expect(cookie?.sameSite).toBe("None");
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.partitionKey, "partitioned under the framing site").toContain("127.0.0.1");
    // The dashboard's own session was never created: the embed signs in on its own.
    expect((await context.cookies()).some((c) => c.name.includes("authjs.session-token"))).toBe(false);

    // Disconnected from Magento: the frame says so instead of showing history.
    await sql("update magento_connections set status = 'revoked', revoked_at = now(), encrypted_api_key = null where id = $1", [
      connectionId,
    ]);
    await page.reload();
    await expect(frame.getByRole("heading", { name: "Magento disconnected — re-pair required" })).toBeVisible();
    await shot(page, "embed-revoked", info);
  } finally {
    await frameHost.close();
  }
});

test("another origin cannot frame the view", async ({ page }) => {
  const { tenantId } = merchantSeed();
  const [conn] = await sql<{ id: string }>(
    "insert into magento_connections (id, tenant_id, base_url, status, paired_at, updated_at) values (gen_random_uuid(), $1, 'https://paired-store.example', 'active', now(), now()) returning id",
    [tenantId],
  );
  const evil = await adminPage(() => `${ledger()}/embed/${conn.id}`);
  try {
    await page.goto(evil.origin);
    await page.waitForLoadState("load");
    await expect(page.getByRole("heading", { name: "Byte8 → Sage Sync" })).toBeVisible();
    const child = page.frames().find((f) => f !== page.mainFrame());
    expect(child).toBeDefined();
    // Chromium replaces a frame refused by frame-ancestors with its own error page: no Ledger content loads.
    await expect(page.frameLocator("iframe").getByText("Sign in to see Sage sync")).toHaveCount(0);
  } finally {
    await evil.close();
  }
});
